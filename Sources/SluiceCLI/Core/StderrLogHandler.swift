import Foundation
import Logging
import SluiceCore

/// Log lines on stderr: `2026-11-30T12:00:00Z info run started run=... pipeline=...`, or with
/// `json` one JSON object per line (`time`, `level`, `message`, metadata keys; counts are JSON
/// numbers). On a terminal the level is coloured unless `NO_COLOR` is set.
struct StderrLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, json: Bool) {
        self.label = label
        self.json = json
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let m = event.metadata { all.merge(m) { $1 } }
        let time = Timestamp.string(Date())
        var line: String
        if json {
            var o: [String: Any] = ["time": time, "level": event.level.rawValue, "message": "\(event.message)"]
            for (k, v) in all { o[k] = Self.jsonObject(v) }
            let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = "\(time) \(Terminal.colour(event.level.rawValue, Self.colour(event.level))) \(event.message)"
            for (k, v) in all.sorted(by: { $0.key < $1.key }) { line += " \(k)=\(v)" }
        }
        Terminal.clearProgressLine()
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A metadata value as JSON: numbers and booleans given as such stay numbers and booleans.
    static func jsonObject(_ v: Logger.Metadata.Value) -> Any {
        switch v {
        case .string(let s): return s
        case .stringConvertible(let c):
            switch c {
            case let i as Int: return i
            case let i as Int64: return i
            case let d as Double where d.isFinite: return d
            case let b as Bool: return b
            default: return c.description
            }
        case .array(let a): return a.map(jsonObject)
        case .dictionary(let d): return d.mapValues(jsonObject)
        }
    }

    static func colour(_ level: Logger.Level) -> Terminal.Colour {
        switch level {
        case .trace, .debug: return .dim
        case .info, .notice: return .green
        case .warning: return .yellow
        case .error, .critical: return .red
        }
    }
}
