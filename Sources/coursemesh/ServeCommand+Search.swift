import CourseMesh
import Overlay

/// How `coursemesh serve` joins its node's search to the overlay.
enum ServeSearch {
    /// Longest wait for ring membership before the first publish (it is retried on every push).
    static let membershipWait: Duration = .seconds(60)

    /// Registers the term-holder application at once (so this node can hold postings as soon
    /// as others send them), then, in the background, publishes this site's postings once the
    /// node is a member of the ring, so they go to their real holders rather than to a ring of one.
    static func start(node: CampusNode, overlay: ServingOverlay?) async {
        guard let overlay, let member = overlay.member as? OverlayNode else { return }
        await node.attachSearch(overlay: member, publish: false)
        Task {
            let clock = ContinuousClock()
            let deadline = clock.now + membershipWait
            while await !overlay.scheduler.isMember, clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
            await node.publishOwnCourses()
        }
    }
}
