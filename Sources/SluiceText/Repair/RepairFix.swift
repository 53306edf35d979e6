public import SluiceJSON

/// One change a repair made, for the audit trail and `--explain`.
///
/// `description` is the human form: `mojibake: utf-8 read as windows-1252, 2 layers`, `nfc`,
/// `control_chars: 3`. `json` is the structured form the stage puts in its note.
public struct RepairFix: Sendable, Hashable, CustomStringConvertible {
    public struct Kind: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let mojibake = Kind(rawValue: "mojibake")
        public static let nfc = Kind(rawValue: "nfc")
        public static let nfkc = Kind(rawValue: "nfkc")
        public static let controlChars = Kind(rawValue: "control_chars")
        public static let lineEndings = Kind(rawValue: "line_endings")
        public static let zeroWidth = Kind(rawValue: "zero_width")
        public static let htmlEntities = Kind(rawValue: "html_entities")
        public static let quotes = Kind(rawValue: "quotes")
        /// A byte input decoded from a legacy charset.
        public static let decoded = Kind(rawValue: "decoded")
    }

    public var kind: Kind
    /// How many characters or references were changed, for counted fixes.
    public var count: Int?
    /// Free text for the kind (the mojibake path, the charset).
    public var detail: String?

    public init(_ kind: Kind, count: Int? = nil, detail: String? = nil) {
        self.kind = kind
        self.count = count
        self.detail = detail
    }

    public var description: String {
        if let detail { return "\(kind.rawValue): \(detail)" }
        if let count { return "\(kind.rawValue): \(count)" }
        return kind.rawValue
    }

    public var json: JSONValue {
        var o = JSONObject()
        o["fix"] = .string(kind.rawValue)
        if let count { o["count"] = .number(JSONNumber(count)) }
        if let detail { o["detail"] = .string(detail) }
        return .object(o)
    }

    /// Summarises mojibake layers: `utf-8 read as windows-1252, 2 layers`;
    /// `utf-8 read as windows-1252, then latin-1`; `utf-8 mojibake in parts of the text`.
    static func mojibake(_ steps: [MojibakeStep]) -> RepairFix {
        var parts: [String] = []
        var groups: [(String, Int)] = []
        for s in steps {
            let label: String
            switch s.kind {
            case .whole: label = "utf-8 read as \(s.charset)"
            case .partial: label = "utf-8 mojibake in parts of the text"
            case .c1AsWindows1252: label = "c1 controls meant as windows-1252"
            }
            if let last = groups.last, last.0 == label { groups[groups.count - 1].1 += 1 } else { groups.append((label, 1)) }
        }
        for (label, n) in groups { parts.append(n > 1 ? "\(label), \(n) layers" : label) }
        let extras = Set(steps.flatMap(\.transcodes)).sorted()
        var detail = parts.joined(separator: "; then ")
        if !extras.isEmpty { detail += " (" + extras.joined(separator: ", ") + ")" }
        return RepairFix(.mojibake, count: steps.count, detail: detail)
    }
}
