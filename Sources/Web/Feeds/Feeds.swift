import MeshCore

/// XML documents for browsers and feed readers: the OpenSearch description (so a browser can add
/// this node as a search engine) and an Atom feed of the newest courses matching a query.
/// Every string is XML-escaped (`HTML.escape` covers XML's five entities).
public enum Feeds {
    /// `/opensearch.xml` (OpenSearch 1.1 description document).
    public static func openSearch(baseURL: String, nodeName: String) -> String {
        let base = trimSlash(baseURL)
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
        <ShortName>CourseMesh</ShortName>
        <Description>\(HTML.escape("Courses on every Moodle campus, via \(nodeName)"))</Description>
        <InputEncoding>UTF-8</InputEncoding>
        <Url type="text/html" method="get" template="\(HTML.escape(base))/search?q={searchTerms}"/>
        <Url type="application/json" method="get" template="\(HTML.escape(base))/api/v1/search?q={searchTerms}"/>
        <Url type="application/atom+xml" method="get" template="\(HTML.escape(base))/feeds/search.atom?q={searchTerms}"/>
        <Url type="application/x-suggestions+json" method="get" template="\(HTML.escape(base))/api/v1/suggest?prefix={searchTerms}"/>
        </OpenSearchDescription>
        """
    }

    /// `/feeds/search.atom?q=…` (RFC 4287): the matching courses, newest change first.
    public static func atom(query: String, results: [SearchResult], baseURL: String, updated: Timestamp) -> String {
        let base = trimSlash(baseURL)
        let selfURL = "\(base)/feeds/search.atom\(HTML.queryString([("q", query)]))"
        let entries = results.sorted { ($0.timeModified, $0.id) > ($1.timeModified, $1.id) }.map { r in
            """
            <entry>
            <id>\(HTML.escape(r.url))</id>
            <title>\(HTML.escape(r.title))</title>
            <link href="\(HTML.escape(r.url))"/>
            <updated>\(RFC3339.format(Timestamp(seconds: r.timeModified)))</updated>
            <author><name>\(HTML.escape(r.site.name))</name><uri>\(HTML.escape(r.site.url))</uri></author>
            \(r.category.isEmpty ? "" : "<category term=\"\(HTML.escape(r.category))\"/>")
            <summary>\(HTML.escape(r.snippet))</summary>
            </entry>
            """
        }.joined(separator: "\n")
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
        <id>\(HTML.escape(selfURL))</id>
        <title>\(HTML.escape("CourseMesh: \(query)"))</title>
        <link rel="self" href="\(HTML.escape(selfURL))"/>
        <link rel="alternate" type="text/html" href="\(HTML.escape("\(base)/search\(HTML.queryString([("q", query)]))"))"/>
        <updated>\(RFC3339.format(updated))</updated>
        <generator>CourseMesh</generator>
        \(entries)
        </feed>
        """
    }

    private static func trimSlash(_ s: String) -> String { s.hasSuffix("/") ? String(s.dropLast()) : s }
}
