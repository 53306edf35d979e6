import Foundation
import Sluice
import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--metrics FILE`: the run's metrics in the Prometheus text exposition format (0.0.4), for
/// node_exporter's textfile collector.
///
/// The file is replaced atomically: written to a hidden temporary sibling (a name the collector
/// ignores, since it reads only `*.prom`), flushed to disk, then renamed over the old file, so a
/// scrape sees the previous run's file or this run's, never half of one.
enum MetricsFile {
    static func write(_ metrics: RunMetrics, to path: String) throws {
        try AtomicFile.write(Array(render(metrics).utf8), to: URL(fileURLWithPath: path), what: "the metrics")
    }

    /// The text format: `# HELP`, `# TYPE`, then one line per sample; a family with no samples
    /// keeps its HELP and TYPE lines so the file documents what may appear.
    static func render(_ metrics: RunMetrics) -> String {
        var out = ""
        for f in metrics.families {
            out += "# HELP \(f.name) \(escapeHelp(f.help))\n"
            out += "# TYPE \(f.name) \(f.type)\n"
            for s in f.samples {
                out += f.name
                if !s.labels.isEmpty {
                    out += "{" + s.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
                }
                out += " " + number(s.value) + "\n"
            }
        }
        return out
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeLabel(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction; other values in Go-`ParseFloat`-compatible form.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
