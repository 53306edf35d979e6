import Foundation
import GRDB
import SluiceJSON

extension TemporaryProject {
    /// The rows of a table the `sqlite` output wrote (id, parent, the record as JSON), by id.
    func sqliteRows(_ file: String, table: String) throws -> [(id: String, parent: String?, doc: JSONValue)] {
        let q = try DatabaseQueue(path: path(file).path)
        defer { try? q.close() }
        return try q.read { db in
            try Row.fetchAll(db, sql: "SELECT id, parent, doc FROM \"\(table)\" ORDER BY id").map { row -> (id: String, parent: String?, doc: JSONValue) in
                let text: String = row["doc"]
                return (id: row["id"], parent: row["parent"], doc: try JSONParser.parse([UInt8](text.utf8)))
            }
        }
    }
}
