public import SluiceJSON

/// Line-by-line repair of raw bytes: what `sluice text repair` does, kept in the library so it
/// can be tested without the command line.
///
/// The whole input is decoded once (`CharsetDetector`), so every line is read in the same
/// charset; when the input as a whole is not decodable (lines in different charsets), each line
/// is decoded on its own. Each line is then repaired (`EncodingRepair`). With `jsonl`, each line
/// holds one JSON string, which is repaired and written back as a JSON string.
public enum LineRepair {
    public struct Options: Sendable {
        public var repair = EncodingRepairOptions()
        public var jsonl = false
        public var onUndecodable: UndecodablePolicy = .quarantine
        public var minConfidence = 0.75
        public init() {}
    }

    public struct Line: Sendable {
        /// 1-based.
        public var number: Int
        /// The bytes to write (without the newline); nil when the line is quarantined.
        public var output: [UInt8]?
        public var fixes: [RepairFix]
        /// Why the line was refused or kept as it was, if it was.
        public var problem: String?
    }

    public struct Result: Sendable {
        /// How the input as a whole was decoded, when it could be.
        public var decoded: DecodedText?
        public var lines: [Line]
        public var quarantined: Int { lines.filter { $0.output == nil }.count }
    }

    public static func run(_ input: [UInt8], options: Options = Options()) -> Result {
        var rawLines = input.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if rawLines.last?.isEmpty == true { rawLines.removeLast() }
        var lines: [Line] = []
        lines.reserveCapacity(rawLines.count)
        let whole: DecodedText? = {
            if case .success(let d) = CharsetDetector.decode(input, minConfidence: options.minConfidence) { return d }
            return nil
        }()
        var textLines: [String]?
        if let whole {
            // Split on scalars: as Characters, "\r\n" is one grapheme and would not split.
            var parts = whole.text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
            if parts.last?.isEmpty == true { parts.removeLast() }
            // UTF-16 input splits differently from its bytes; trust the decoded text's lines.
            textLines = parts
        }
        let count = textLines?.count ?? rawLines.count
        for i in 0..<count {
            let raw = i < rawLines.count ? rawLines[i] : []
            var decodeFix: RepairFix?
            var text: String
            if let textLines {
                text = textLines[i]
            } else if let s = String(validating: raw, as: UTF8.self) {
                text = s
            } else {
                switch CharsetDetector.decode(raw, minConfidence: options.minConfidence) {
                case .success(let d):
                    text = d.text
                    decodeFix = d.fix
                case .failure(let e):
                    lines.append(refuse(number: i + 1, raw: raw, reason: e.message, options: options))
                    continue
                }
            }
            var fixes: [RepairFix] = decodeFix.map { [$0] } ?? []
            if text.hasSuffix("\r") {
                text.removeLast()
                if options.repair.normalization.normalizeLineEndings { fixes.append(RepairFix(.lineEndings, count: 1)) } else { text += "\r" }
            }
            lines.append(repairLine(number: i + 1, text: text, raw: raw, fixes: fixes, options: options))
        }
        return Result(decoded: whole, lines: lines)
    }

    static func repairLine(number: Int, text: String, raw: [UInt8], fixes: [RepairFix], options: Options) -> Line {
        var content = text
        if options.jsonl {
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return Line(number: number, output: Array(text.utf8), fixes: fixes) }
            guard case .string(let s)? = try? JSONParser.parse(text) else {
                return Line(number: number, output: raw, fixes: [], problem: "not a JSON string; written unchanged")
            }
            content = s
        }
        let r = EncodingRepair.repair(content, options: options.repair)
        let allFixes = fixes + r.fixes
        var result = r.text
        if r.hasReplacementCharacters || r.confidence < options.minConfidence {
            let why = r.hasReplacementCharacters ? "holds U+FFFD: characters were lost before this repair"
                : "repair confidence \(r.confidence) is below \(options.minConfidence)"
            switch options.onUndecodable {
            case .quarantine: return Line(number: number, output: nil, fixes: allFixes, problem: why)
            case .keep: return Line(number: number, output: raw, fixes: [], problem: why + "; kept as it was")
            case .replace: break
            }
        }
        if options.jsonl { result = JSONWriter.string(.string(result)) }
        return Line(number: number, output: Array(result.utf8), fixes: allFixes)
    }

    static func refuse(number: Int, raw: [UInt8], reason: String, options: Options) -> Line {
        switch options.onUndecodable {
        case .quarantine:
            return Line(number: number, output: nil, fixes: [], problem: reason)
        case .keep:
            return Line(number: number, output: raw, fixes: [], problem: reason + "; kept as it was")
        case .replace:
            let text = String(decoding: raw, as: UTF8.self)
            let r = EncodingRepair.repair(text, options: options.repair)
            return Line(number: number, output: Array(r.text.utf8), fixes: r.fixes, problem: reason + "; invalid bytes replaced by U+FFFD")
        }
    }
}
