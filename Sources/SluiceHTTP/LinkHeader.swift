import Foundation

/// RFC 8288 `Link` header parsing, enough to find `rel="next"`.
enum LinkHeader {
    /// The target of the first link whose `rel` holds `relation`, resolved against `base`.
    static func target(_ values: [String], relation: String, base: URL) -> URL? {
        for value in values {
            var rest = Substring(value)
            while let open = rest.firstIndex(of: "<") {
                guard let close = rest[open...].firstIndex(of: ">") else { break }
                let target = rest[rest.index(after: open)..<close]
                let paramsEnd = rest[close...].dropFirst().firstIndex(of: "<") ?? rest.endIndex
                let params = rest[rest.index(after: close)..<paramsEnd]
                if relations(params).contains(relation.lowercased()) {
                    return URL(string: String(target), relativeTo: base)?.absoluteURL
                }
                rest = rest[paramsEnd...]
            }
        }
        return nil
    }

    private static func relations(_ params: Substring) -> [String] {
        for part in params.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, kv[0].lowercased() == "rel" else { continue }
            let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\","))
            return v.lowercased().split(separator: " ").map(String.init)
        }
        return []
    }
}
