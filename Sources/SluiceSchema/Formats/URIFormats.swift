extension Formats {
    static func isUnreserved(_ s: Unicode.Scalar, international: Bool) -> Bool {
        if s.isASCIILetter || s.isASCIIDigit || s == "-" || s == "." || s == "_" || s == "~" { return true }
        return international && isUCSChar(s.value)
    }

    /// RFC 3987 ucschar (and iprivate, accepted everywhere for simplicity).
    static func isUCSChar(_ v: UInt32) -> Bool {
        (0xA0...0xD7FF).contains(v) || (0xF900...0xFDCF).contains(v) || (0xFDF0...0xFFEF).contains(v)
            || ((0x10000...0xEFFFD).contains(v) && v & 0xFFFE != 0xFFFE) || (0xE000...0xF8FF).contains(v)
            || (0xF0000...0x10FFFD).contains(v)
    }

    static func isSubDelim(_ s: Unicode.Scalar) -> Bool { "!$&'()*+,;=".unicodeScalars.contains(s) }

    /// Every character is allowed by `extra` or unreserved / sub-delim, and `%` starts a valid escape.
    static func allowed(_ text: Substring, international: Bool, extra: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "%" {
                guard i + 2 < scalars.count, scalars[i + 1].isASCIIHexDigit, scalars[i + 2].isASCIIHexDigit else { return false }
                i += 3
                continue
            }
            guard isUnreserved(s, international: international) || isSubDelim(s) || extra.unicodeScalars.contains(s) else { return false }
            i += 1
        }
        return true
    }

    /// `uri`, `uri-reference`, `iri`, `iri-reference` (RFC 3986 / RFC 3987 syntax).
    static func isURI(_ text: String, reference: Bool, international: Bool) -> Bool {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            guard allowed(rest[rest.index(after: hash)...], international: international, extra: ":@/?") else { return false }
            rest = rest[..<hash]
        }
        if let q = rest.firstIndex(of: "?") {
            guard allowed(rest[rest.index(after: q)...], international: international, extra: ":@/?") else { return false }
            rest = rest[..<q]
        }
        var hasScheme = false
        if let colon = rest.firstIndex(of: ":"), URIReference.isScheme(rest[..<colon]) {
            hasScheme = true
            rest = rest[rest.index(after: colon)...]
        }
        if !hasScheme && !reference { return false }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            guard isAuthority(rest[..<end], international: international) else { return false }
            rest = rest[end...]
        } else if !hasScheme, let firstSlash = rest.firstIndex(of: "/") ?? Optional(rest.endIndex), rest[..<firstSlash].contains(":") {
            return false  // path-noscheme: a colon in the first segment would read as a scheme
        }
        return allowed(rest, international: international, extra: ":@/")
    }

    static func isAuthority(_ a: Substring, international: Bool) -> Bool {
        var hostPort = a
        if let at = a.lastIndex(of: "@") {
            guard allowed(a[..<at], international: international, extra: ":") else { return false }
            hostPort = a[a.index(after: at)...]
        }
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return false }
            let literal = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), after.dropFirst().unicodeScalars.allSatisfy(\.isASCIIDigit) else { return false }
            }
            if literal.hasPrefix("v") || literal.hasPrefix("V") {
                guard let dot = literal.firstIndex(of: "."), literal.index(after: literal.startIndex) < dot,
                      literal[literal.index(after: literal.startIndex)..<dot].unicodeScalars.allSatisfy(\.isASCIIHexDigit),
                      literal.index(after: dot) < literal.endIndex
                else { return false }
                return allowed(literal[literal.index(after: dot)...], international: false, extra: ":")
            }
            return isIPv6(String(literal))
        }
        var host = hostPort
        if let colon = hostPort.lastIndex(of: ":") {
            guard hostPort[hostPort.index(after: colon)...].unicodeScalars.allSatisfy(\.isASCIIDigit) else { return false }
            host = hostPort[..<colon]
        }
        return allowed(host, international: international, extra: "")
    }

    /// RFC 6570 URI Template syntax (level 4).
    static func isURITemplate(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "{" {
                guard let close = scalars[i...].firstIndex(of: "}") else { return false }
                guard isTemplateExpression(scalars[(i + 1)..<close]) else { return false }
                i = close + 1
                continue
            }
            if s == "%" {
                guard i + 2 < scalars.count, scalars[i + 1].isASCIIHexDigit, scalars[i + 2].isASCIIHexDigit else { return false }
                i += 3
                continue
            }
            if s.value < 0x21 || "\"<>\\^`{|}".unicodeScalars.contains(s) || (s.value >= 0x7F && s.value < 0xA0) { return false }
            i += 1
        }
        return true
    }

    static func isTemplateExpression(_ e: ArraySlice<Unicode.Scalar>) -> Bool {
        var body = e
        if let first = body.first, "+#./;?&=,!@|".unicodeScalars.contains(first) { body = body.dropFirst() }
        guard !body.isEmpty else { return false }
        for spec in body.split(separator: ",", omittingEmptySubsequences: false) {
            var name = spec[...]
            if let colon = spec.firstIndex(of: ":") {
                let digits = spec[(colon + 1)...]
                guard (1...4).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), digits.first != "0" else { return false }
                name = spec[..<colon]
            } else if spec.last == "*" {
                name = spec.dropLast()
            }
            guard !name.isEmpty, name.first != ".", name.last != "." else { return false }
            var k = name.startIndex
            var prevDot = false
            while k < name.endIndex {
                let c = name[k]
                if c == "%" {
                    guard k + 2 < name.endIndex, name[k + 1].isASCIIHexDigit, name[k + 2].isASCIIHexDigit else { return false }
                    k += 3
                    prevDot = false
                    continue
                }
                if c == "." {
                    if prevDot { return false }
                    prevDot = true
                } else {
                    guard c.isASCIILetter || c.isASCIIDigit || c == "_" else { return false }
                    prevDot = false
                }
                k += 1
            }
        }
        return true
    }
}
