import Foundation
public import SluiceJSON

extension MessyCorpusScore {
    /// Lines of `name: value` for people and for bench scripts.
    public var report: String {
        func pct(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
        var out = [
            "records: \(records)",
            "fate_accuracy: \(pct(fateAccuracy)) (\(correct)/\(records))",
            "unaccounted: \(unaccounted)",
            "conflicting: \(conflicting)",
            "unexpected: \(unexpected)",
        ]
        for (name, t) in classes.sorted(by: { $0.key < $1.key }) {
            out.append("class \(name): precision \(pct(t.precision)) recall \(pct(t.recall)) (expected \(t.expected), found \(t.actual), right \(t.correct))")
        }
        for (name, e) in textByFormat.sorted(by: { $0.key < $1.key }) {
            out.append("text_exact format \(name): \(pct(e.ratio)) (\(e.exact)/\(e.checked))")
        }
        for (name, e) in textByKind.sorted(by: { $0.key < $1.key }) {
            out.append("text_exact kind \(name): \(pct(e.ratio)) (\(e.exact)/\(e.checked))")
        }
        out += mistakes.map { "mistake: \($0)" }
        out += textMistakes.map { "text_mistake: \($0)" }
        return out.joined(separator: "\n")
    }

    /// The same figures as JSON.
    public var json: JSONValue {
        func tally(_ t: Tally) -> JSONValue {
            .object(JSONObject([("expected", .number(JSONNumber(t.expected))), ("found", .number(JSONNumber(t.actual))),
                                ("right", .number(JSONNumber(t.correct))), ("precision", .number(JSONNumber(t.precision))),
                                ("recall", .number(JSONNumber(t.recall)))]))
        }
        func exact(_ m: [String: Exact]) -> JSONValue {
            .object(JSONObject(m.sorted { $0.key < $1.key }.map {
                ($0.key, .object(JSONObject([("checked", .number(JSONNumber($0.value.checked))), ("exact", .number(JSONNumber($0.value.exact)))])))
            }))
        }
        return .object(JSONObject([
            ("records", .number(JSONNumber(records))), ("correct", .number(JSONNumber(correct))),
            ("fate_accuracy", .number(JSONNumber(fateAccuracy))), ("unaccounted", .number(JSONNumber(unaccounted))),
            ("conflicting", .number(JSONNumber(conflicting))), ("unexpected", .number(JSONNumber(unexpected))),
            ("classes", .object(JSONObject(classes.sorted { $0.key < $1.key }.map { ($0.key, tally($0.value)) }))),
            ("text_exact_by_format", exact(textByFormat)), ("text_exact_by_kind", exact(textByKind)),
        ]))
    }
}
