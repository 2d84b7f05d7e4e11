/// What `/node` and `GET /api/v1/node` show about this node: identity, ring neighbours,
/// membership, index size, its place in the statistics tree and the last sync.
public struct NodeStatus: Codable, Sendable, Equatable {
    /// Another node as this one knows it.
    public struct Peer: Codable, Sendable, Equatable {
        public var url: String
        public var id: String
        public init(url: String, id: String) {
            self.url = url
            self.id = id
        }
    }

    public var url: String
    /// Hex node id (SHA-256 of the normalized URL's host and path).
    public var id: String
    public var version: String
    public var siteName: String
    public var predecessor: Peer?
    public var successors: [Peer]
    public var members: Int
    public var fingers: Int
    /// Posting lists (terms) this node holds for the federation, and postings in them.
    public var termsHeld: Int
    public var postingsHeld: Int
    /// Courses this node publishes from its own Moodle.
    public var ownCourses: Int
    public var treeParent: Peer?
    public var treeChildren: [Peer]
    /// Unix seconds of the last Moodle sync or push; nil before the first.
    public var lastSync: Int64?
    public var uptimeSeconds: Int64
    /// The node's overlay state (`alone`, `joining`, `member`, `leaving`); nil when it runs no overlay.
    public var routingState: String?
    /// Overlay items this node holds as a key's owner or replica; nil when it runs no overlay.
    public var itemsHeld: Int?

    public init(url: String, id: String, version: String, siteName: String, predecessor: Peer?, successors: [Peer],
                members: Int, fingers: Int, termsHeld: Int, postingsHeld: Int, ownCourses: Int, treeParent: Peer?,
                treeChildren: [Peer], lastSync: Int64?, uptimeSeconds: Int64) {
        self.url = url
        self.id = id
        self.version = version
        self.siteName = siteName
        self.predecessor = predecessor
        self.successors = successors
        self.members = members
        self.fingers = fingers
        self.termsHeld = termsHeld
        self.postingsHeld = postingsHeld
        self.ownCourses = ownCourses
        self.treeParent = treeParent
        self.treeChildren = treeChildren
        self.lastSync = lastSync
        self.uptimeSeconds = uptimeSeconds
        routingState = nil
        itemsHeld = nil
    }

    enum CodingKeys: String, CodingKey {
        case url, id, version
        case siteName = "site_name"
        case predecessor, successors, members, fingers
        case termsHeld = "terms_held"
        case postingsHeld = "postings_held"
        case ownCourses = "own_courses"
        case treeParent = "tree_parent"
        case treeChildren = "tree_children"
        case lastSync = "last_sync"
        case uptimeSeconds = "uptime_seconds"
        case routingState = "routing_state"
        case itemsHeld = "items_held"
    }
}

/// `/node`: the node's status as tables a person (or a screen reader) can read.
public struct NodePage: Sendable {
    public var layout: PageLayout
    public init(layout: PageLayout) { self.layout = layout }

    public func render(_ s: NodeStatus) -> String {
        func peer(_ p: NodeStatus.Peer?) -> String {
            guard let p else { return "none" }
            return "<a href=\"\(HTML.escape(p.url))/node\">\(HTML.escape(p.url))</a> <code>\(HTML.escape(String(p.id.prefix(12))))…</code>"
        }
        func row(_ k: String, _ v: String) -> String { "<tr><th scope=\"row\">\(k)</th><td>\(v)</td></tr>" }
        let sync = s.lastSync.map { String($0) + " (unix seconds)" } ?? "not yet"
        var body = "<h1>This node</h1><table><caption class=\"visually-hidden\">Identity</caption>"
        body += row("URL", HTML.escape(s.url))
        body += row("Node id", "<code>\(HTML.escape(s.id))</code>")
        body += row("Site", HTML.escape(s.siteName))
        body += row("Version", HTML.escape(s.version))
        body += row("Up for", "\(s.uptimeSeconds) s")
        body += row("Last sync", HTML.escape(sync))
        body += "</table><h2>Ring</h2><table><caption class=\"visually-hidden\">Ring</caption>"
        body += row("Predecessor", peer(s.predecessor))
        body += row("Successors", s.successors.isEmpty ? "none" : s.successors.map { peer($0) }.joined(separator: "<br>"))
        body += row("Members known", String(s.members))
        body += row("Fingers", String(s.fingers))
        body += row("Routing state", HTML.escape(s.routingState ?? "no overlay"))
        if let items = s.itemsHeld { body += row("Overlay items held", String(items)) }
        body += "</table><h2>Index</h2><table><caption class=\"visually-hidden\">Index</caption>"
        body += row("Own courses published", String(s.ownCourses))
        body += row("Terms held for the federation", String(s.termsHeld))
        body += row("Postings held", String(s.postingsHeld))
        body += "</table><h2>Statistics tree</h2><table><caption class=\"visually-hidden\">Statistics tree</caption>"
        body += row("Parent", s.treeParent == nil ? "none (this node is the root)" : peer(s.treeParent))
        body += row("Children", s.treeChildren.isEmpty ? "none" : s.treeChildren.map { peer($0) }.joined(separator: "<br>"))
        body += "</table>"
        return layout.render(title: "This node", current: .node, body: body)
    }
}
