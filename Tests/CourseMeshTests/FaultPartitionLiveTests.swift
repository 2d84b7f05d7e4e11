import CourseMesh
import Foundation
import Testing

/// 16 live nodes split 8 | 8 by iptables and healed: each side keeps answering during the
/// split, and afterwards every node reports all 16 members and no posting is lost.
@Suite(.serialized)
struct FaultPartitionLiveTests {
    @Test(.timeLimit(.minutes(5)))
    func aPartitionedRingKeepsServingAndHealsWithoutLosingPostings() async throws {
        let directory = NSTemporaryDirectory() + "coursemesh-partition-" + UUID().uuidString.prefix(8).lowercased()
        let partition = try await LoopbackPartition(directory: directory)
        let split = 8
        let wrapper = try partition.wrapper(binary: LocalFederationTests.binary, split: split)
        let mesh = try await FaultFederation.start(count: 16, perSite: 25) { configuration in
            configuration.executable = wrapper
            configuration.directory = directory
        }
        let healed: Bool
        do {
            healed = try await partitionAndHeal(mesh, partition: partition, split: split)
        } catch {
            try? await partition.heal()
            await mesh.federation.stop()
            throw error  // logs kept
        }
        try await partition.heal()
        await mesh.federation.stop()
        if healed { try? FileManager.default.removeItem(atPath: directory) }  // else the logs named above stay
    }

    /// False when it recorded an issue.
    func partitionAndHeal(_ mesh: FaultFederation, partition: LoopbackPartition, split: Int) async throws -> Bool {
        let sideA = Array(0..<split), sideB = Array(split..<mesh.nodes.count)
        try await partition.split(portsA: sideA.map { mesh.nodes[$0].port }, portsB: sideB.map { mesh.nodes[$0].port })

        // The split takes (bounded): each side's first node comes to see fewer than 16 members.
        let splitStart = ContinuousClock.now
        var seenSplit = Set<Int>()
        while ContinuousClock.now < splitStart + .seconds(45), seenSplit.count < 2 {
            for i in [sideA[0], sideB[0]] where !seenSplit.contains(i) {
                if let m = await mesh.members(i), m < 16 { seenSplit.insert(i) }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        try #require(seenSplit.count == 2, "after 45 s of partition, nodes \(Set([sideA[0], sideB[0]]).subtracting(seenSplit).sorted()) still report 16 members: the split did not take")
        let splitTook = ContinuousClock.now - splitStart

        // Split: both sides answer queries (200, in time); terms held across the split may be short.
        var answered = 0, partial = 0, short = 0
        var errors: [String] = []
        for i in [sideA[0], sideB[0]] {
            for q in mesh.queries.prefix(15) {
                let a = await mesh.ask(i, q)
                answered += 1
                if a.status != 200 { errors.append("'\(q)' on node \(i) (log \(mesh.nodes[i].logPath)): status \(a.status): \(a.body)") }
                if a.partial { partial += 1 } else if a.ids != mesh.expected[q]! { short += 1 }
            }
        }
        #expect(errors.isEmpty, "\(errors.count) of \(answered) queries failed during the split:\n\(errors.prefix(5).joined(separator: "\n"))")

        // Heal: membership converges and the same queries give the same complete answers.
        try await partition.heal()
        let healStart = ContinuousClock.now
        if let w = await mesh.waitForMembers(16, on: Array(mesh.nodes.indices), within: .seconds(150)) {
            Issue.record("after healing: \(w)")
            return false
        }
        let membersTook = ContinuousClock.now - healStart
        let complete = await mesh.waitUntilComplete(from: [sideA[0], sideB[0]], within: .seconds(60))
        if let w = complete { Issue.record("after healing: \(w)") }
        print("partition: split seen in \(splitTook); \(answered) queries during it: \(errors.count) failed, \(partial) partial, \(short) short; "
              + "16 members everywhere \(membersTook) after healing, all complete \(ContinuousClock.now - healStart) after")
        return complete == nil && errors.isEmpty
    }
}
