import Foundation
import SluiceJSON

/// A 2xx body read as what `records` expects: the JSON document and the items at the pointer.
struct ParsedBody: Sendable {
    var document: JSONValue
    var items: [JSONValue]
}

/// Why a 2xx body is not usable: a cut-short or garbled body, an HTML error page from a proxy,
/// a `{"error": ...}` answered with 200. Such a body is retried like a dropped connection and,
/// when every attempt gives one, the page is deferred: its place in the chain is kept.
struct BodyProblem: Error, Sendable {
    /// `unexpected_content_type`, `malformed`, `too_deep`, `missing_field`, `wrong_type`.
    var code: String
    var message: String
}

enum PageBody {
    static func parse(_ page: FetchedPage, settings: HTTPSettings, maxDepth: Int) -> Result<ParsedBody, BodyProblem> {
        if let problem = ContentTypeCheck.problem(page.header("content-type"), accepted: settings.contentTypes) {
            return .failure(BodyProblem(code: "unexpected_content_type", message: problem))
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(page.body, options: .init(maxDepth: maxDepth))
        } catch {
            return .failure(BodyProblem(code: error.code == .tooDeep ? "too_deep" : "malformed",
                                        message: "the body (\(page.body.count) bytes) is not JSON (\(error.code.name) at line \(error.line), column \(error.column))"))
        }
        switch settings.recordsPointer.get(in: document) {
        case .array(let a)?: return .success(ParsedBody(document: document, items: a))
        case .object(let o)?: return .success(ParsedBody(document: document, items: [.object(o)]))
        case nil: return .failure(BodyProblem(code: "missing_field", message: "no value at records pointer '\(settings.recordsPointer)'"))
        case let other?:
            return .failure(BodyProblem(code: "wrong_type", message: "the value at records pointer '\(settings.recordsPointer)' is \(other.typeName), not an array"))
        }
    }
}
