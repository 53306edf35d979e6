import Foundation
import Logging

/// Log lines on stderr: `2026-11-30T12:00:00Z info run started run=... pipeline=...`, or with
/// `json` one JSON object per line (`time`, `level`, `message`, metadata keys).
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
        let time = ISO8601DateFormatter().string(from: Date())
        var line: String
        if json {
            var o: [String: String] = ["time": time, "level": event.level.rawValue, "message": "\(event.message)"]
            for (k, v) in all { o[k] = "\(v)" }
            let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = "\(time) \(event.level.rawValue) \(event.message)"
            for (k, v) in all.sorted(by: { $0.key < $1.key }) { line += " \(k)=\(v)" }
        }
        Terminal.clearProgressLine()
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
