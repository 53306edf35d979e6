import Foundation

/// A strict reader of the Prometheus text exposition format (0.0.4), for checking what
/// `--metrics` writes: every line must be a HELP, TYPE or sample line with valid names, quoted
/// and escaped label values and a Go-parsable value; each family's TYPE comes before its samples,
/// a family's samples are contiguous and no series appears twice.
struct PrometheusText {
    struct Family {
        var help: String?
        var type: String?
        var samples: [(labels: [String: String], value: Double)] = []
    }
    struct Invalid: Error, CustomStringConvertible {
        var line: Int
        var why: String
        var description: String { "line \(line): \(why)" }
    }

    var families: [String: Family] = [:]
    var order: [String] = []

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Invalid(line: 0, why: "no final newline") }
        var seen = Set<String>()
        var finished = Set<String>()
        var current: String?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let n = i + 1
            let line = String(raw)
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                guard Self.isMetricName(name) else { throw Invalid(line: n, why: "bad metric name '\(name)'") }
                let value = String(rest.dropFirst(name.count).dropFirst())
                if current != name, let c = current { finished.insert(c) }
                guard !finished.contains(name) else { throw Invalid(line: n, why: "\(name) reappears after other families") }
                current = name
                if families[name] == nil { families[name] = Family(); order.append(name) }
                if line.hasPrefix("# HELP ") {
                    guard families[name]?.help == nil else { throw Invalid(line: n, why: "second HELP for \(name)") }
                    families[name]?.help = value
                } else {
                    guard families[name]?.type == nil, families[name]?.samples.isEmpty == true else { throw Invalid(line: n, why: "TYPE for \(name) not first") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(value) else { throw Invalid(line: n, why: "bad type \(value)") }
                    families[name]?.type = value
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard !line.isEmpty else { throw Invalid(line: n, why: "empty line") }
            var s = Substring(line)
            let name = String(s.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
            guard Self.isMetricName(name) else { throw Invalid(line: n, why: "bad metric name") }
            s = s.dropFirst(name.count)
            var labels: [String: String] = [:]
            if s.first == "{" {
                s = s.dropFirst()
                while s.first != "}" {
                    let key = String(s.prefix { $0 != "=" })
                    guard Self.isLabelName(key), labels[key] == nil else { throw Invalid(line: n, why: "bad or repeated label '\(key)'") }
                    s = s.dropFirst(key.count)
                    guard s.hasPrefix("=\"") else { throw Invalid(line: n, why: "label value not quoted") }
                    s = s.dropFirst(2)
                    var value = ""
                    while true {
                        guard let c = s.first else { throw Invalid(line: n, why: "unterminated label value") }
                        s = s.dropFirst()
                        if c == "\"" { break }
                        if c == "\\" {
                            guard let e = s.first else { throw Invalid(line: n, why: "dangling escape") }
                            s = s.dropFirst()
                            switch e {
                            case "\\": value.append("\\")
                            case "\"": value.append("\"")
                            case "n": value.append("\n")
                            default: throw Invalid(line: n, why: "bad escape \\\(e)")
                            }
                        } else {
                            value.append(c)
                        }
                    }
                    labels[key] = value
                    if s.first == "," { s = s.dropFirst() } else if s.first != "}" { throw Invalid(line: n, why: "expected , or }") }
                }
                s = s.dropFirst()
            }
            guard s.first == " " else { throw Invalid(line: n, why: "no space before value") }
            let parts = s.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let value = Self.goFloat(String(parts[0])) else { throw Invalid(line: n, why: "bad value") }
            if parts.count == 2, Int64(parts[1]) == nil { throw Invalid(line: n, why: "bad timestamp") }
            if current != name, let c = current { finished.insert(c) }
            guard !finished.contains(name) else { throw Invalid(line: n, why: "samples of \(name) not contiguous") }
            current = name
            let series = name + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{0}")
            guard seen.insert(series).inserted else { throw Invalid(line: n, why: "duplicate series") }
            if families[name] == nil { families[name] = Family(); order.append(name) }
            families[name]?.samples.append((labels, value))
        }
    }

    /// The value of the one sample of `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = families[name]?.samples.filter { s in labels.allSatisfy { s.labels[$0.key] == $0.value } } ?? []
        return matching.count == 1 ? matching[0].value : nil
    }

    static func isMetricName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.isASCII, f.properties.isAlphabetic || f == "_" || f == ":" else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":") }
    }

    static func isLabelName(_ s: String) -> Bool {
        isMetricName(s) && !s.contains(":")
    }

    static func goFloat(_ s: String) -> Double? {
        switch s {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard s.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(s)
        }
    }
}
