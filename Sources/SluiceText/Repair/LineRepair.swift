public import SluiceCharset
import SluiceJSON

/// Line-by-line repair of raw bytes: what `sluice text repair` does, kept in the library so it
/// can be tested without the command line.
///
/// The charset is detected once, from the first block of the input (`CharsetDetector`), so
/// every line is read in the same charset; a line that is not valid in it triggers detection
/// again from that line on, and a line that fits nothing follows `onUndecodable`. Each line is then repaired (`EncodingRepair`). With `jsonl`, each line
/// holds one JSON string, which is repaired and written back as a JSON string.
public enum LineRepair {
    public struct Options: Sendable {
        public var repair = EncodingRepairOptions()
        public var jsonl = false
        public var onUndecodable: UndecodablePolicy = .quarantine
        public var minConfidence = 0.75
        /// A longer line is not held in memory: it is refused (`onUndecodable`: quarantined, or
        /// with `keep`/`replace` cut to this length) and the rest of it skipped.
        public var maxLineBytes = 64 << 20
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

    /// Repairs a whole input held in memory (see `LineRepairer` for streams).
    public static func run(_ input: [UInt8], options: Options = Options()) -> Result {
        let repairer = LineRepairer(options: options)
        var lines = repairer.feed(input)
        lines += repairer.finish()
        return Result(decoded: repairer.decoded, lines: lines)
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
