import MeshCore
import Testing
@testable import Search

struct SuggestionTableTests {
    func doc(_ id: Int64, _ title: String, tags: [String] = [], language: String = "en") -> CourseDocument {
        CourseDocument(courseID: id, url: "https://m.example/course/view.php?id=\(id)", fullName: title, shortName: "", summary: "",
                       categoryPath: [], tags: tags, language: language, format: "topics", startDate: nil, endDate: nil,
                       timeModified: 0, openEnrolment: false, enrolledCount: 0, modules: [])
    }

    @Test func mostUsedWordsFirstAndFoldedLikeTheIndex() {
        var table = SuggestionTable()
        table.add(doc(2, "Organic Chemistry"), id: "a")
        table.add(doc(3, "Chemistry of Materials", tags: ["Chemical engineering"]), id: "b")
        table.add(doc(4, "Programación en Chile", language: "es"), id: "c")
        #expect(table.suggestions(prefix: "Che", limit: 5) == ["chemistry", "chemical"])
        #expect(table.suggestions(prefix: "chi", limit: 5) == ["chile"])
        #expect(table.suggestions(prefix: "progr", limit: 5) == ["programacion"])
        #expect(table.suggestions(prefix: "of", limit: 5).isEmpty)
    }

    @Test func removeIsTheInverseOfAdd() {
        var table = SuggestionTable()
        table.add(doc(2, "Organic Chemistry"), id: "a")
        table.add(doc(3, "Inorganic Chemistry"), id: "b")
        table.remove(id: "b")
        table.add(doc(2, "Organic Chemistry II"), id: "a")
        #expect(table.suggestions(prefix: "chem", limit: 3) == ["chemistry"])
        #expect(table.suggestions(prefix: "inorg", limit: 3).isEmpty)
    }
}
