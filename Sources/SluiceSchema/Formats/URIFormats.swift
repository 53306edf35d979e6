import SluiceRegex

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

    // Byte classes for URI syntax: bit 0 unreserved or sub-delim, then the extra characters
    // each component allows.
    static let uriBase: UInt8 = 1, uriColon: UInt8 = 2, uriAt: UInt8 = 4, uriSlash: UInt8 = 8, uriQuestion: UInt8 = 16
    static let uriTable: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 128)
        for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=".utf8 { t[Int(c)] = uriBase }
        t[Int(UInt8(ascii: ":"))] = uriColon
        t[Int(UInt8(ascii: "@"))] = uriAt
        t[Int(UInt8(ascii: "/"))] = uriSlash
        t[Int(UInt8(ascii: "?"))] = uriQuestion
        return t
    }()
    static let pcharExtra = uriColon | uriAt
    static let queryExtra = uriColon | uriAt | uriSlash | uriQuestion

    /// Every byte in `range` is unreserved, a sub-delim, in `extra`, a valid `%XX` escape, or
    /// (international) part of a ucschar.
    static func allowed(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, international: Bool, extra: UInt8) -> Bool {
        var i = range.lowerBound
        let end = range.upperBound
        let mask = uriBase | extra
        while i < end {
            let c = b[i]
            if c < 0x80 {
                if c == UInt8(ascii: "%") {
                    guard i + 2 < end, hexValue(b[i + 1]) != nil, hexValue(b[i + 2]) != nil else { return false }
                    i += 3
                    continue
                }
                if uriTable[Int(c)] & mask == 0 { return false }
                i += 1
                continue
            }
            guard international, let (scalar, length) = decodeUTF8(b, i, end), isUCSChar(scalar) else { return false }
            i += length
        }
        return true
    }

    /// Decodes one scalar of valid UTF-8 at `i`.
    static func decodeUTF8(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int)? {
        let c = b[i]
        let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1
        guard length > 1, i + length <= end else { return nil }
        var v = UInt32(c) & (0xFF >> UInt32(length + 1))
        for k in 1..<length { v = v << 6 | UInt32(b[i + k] & 0x3F) }
        return (v, length)
    }

    static func firstIndex(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i < range.upperBound { if b[i] == byte { return i }; i += 1 }
        return nil
    }

    /// `uri`, `uri-reference`, `iri`, `iri-reference` (RFC 3986 / RFC 3987 syntax).
    static func isURI(_ text: String, reference: Bool, international: Bool) -> Bool {
        var copy = text
        return copy.withUTF8 { isURI($0, reference: reference, international: international) }
    }

    static func isURI(_ b: UnsafeBufferPointer<UInt8>, reference: Bool, international: Bool) -> Bool {
        var end = b.count
        if let hash = firstIndex(b, UInt8(ascii: "#"), 0..<end) {
            guard allowed(b, (hash + 1)..<end, international: international, extra: queryExtra) else { return false }
            end = hash
        }
        if let q = firstIndex(b, UInt8(ascii: "?"), 0..<end) {
            guard allowed(b, (q + 1)..<end, international: international, extra: queryExtra) else { return false }
            end = q
        }
        var i = 0
        var hasScheme = false
        if let colon = firstIndex(b, UInt8(ascii: ":"), 0..<end), colon > 0, isSchemeByte(b[0], first: true),
           (1..<colon).allSatisfy({ isSchemeByte(b[$0], first: false) }) {
            hasScheme = true
            i = colon + 1
        }
        if !hasScheme && !reference { return false }
        if end - i >= 2, b[i] == UInt8(ascii: "/"), b[i + 1] == UInt8(ascii: "/") {
            i += 2
            let authorityEnd = firstIndex(b, UInt8(ascii: "/"), i..<end) ?? end
            guard isAuthority(b, i..<authorityEnd, international: international) else { return false }
            i = authorityEnd
        } else if !hasScheme {
            // path-noscheme: a colon in the first segment would read as a scheme.
            let segmentEnd = firstIndex(b, UInt8(ascii: "/"), i..<end) ?? end
            if firstIndex(b, UInt8(ascii: ":"), i..<segmentEnd) != nil { return false }
        }
        return allowed(b, i..<end, international: international, extra: pcharExtra | uriSlash)
    }

    static func isSchemeByte(_ c: UInt8, first: Bool) -> Bool {
        let letter = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
        if first { return letter }
        return letter || (c >= 48 && c <= 57) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    static func isAuthority(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, international: Bool) -> Bool {
        var hostStart = range.lowerBound
        let end = range.upperBound
        if let at = lastIndex(b, UInt8(ascii: "@"), range) {
            guard allowed(b, range.lowerBound..<at, international: international, extra: uriColon) else { return false }
            hostStart = at + 1
        }
        if hostStart < end, b[hostStart] == UInt8(ascii: "[") {
            guard let close = firstIndex(b, UInt8(ascii: "]"), hostStart..<end) else { return false }
            if close + 1 < end {
                guard b[close + 1] == UInt8(ascii: ":"), ((close + 2)..<end).allSatisfy({ Formats.digit(b[$0]) }) else { return false }
            }
            let literal = (hostStart + 1)..<close
            if !literal.isEmpty, b[literal.lowerBound] | 0x20 == UInt8(ascii: "v") {
                guard let dot = firstIndex(b, UInt8(ascii: "."), literal), dot > literal.lowerBound + 1,
                      ((literal.lowerBound + 1)..<dot).allSatisfy({ hexValue(b[$0]) != nil }), dot + 1 < close
                else { return false }
                return allowed(b, (dot + 1)..<close, international: false, extra: uriColon)
            }
            return isIPv6(String(decoding: UnsafeBufferPointer(rebasing: b[literal]), as: UTF8.self))
        }
        var hostEnd = end
        if let colon = lastIndex(b, UInt8(ascii: ":"), hostStart..<end) {
            guard ((colon + 1)..<end).allSatisfy({ Formats.digit(b[$0]) }) else { return false }
            hostEnd = colon
        }
        return allowed(b, hostStart..<hostEnd, international: international, extra: 0)
    }

    static func lastIndex(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ range: Range<Int>) -> Int? {
        var i = range.upperBound - 1
        while i >= range.lowerBound { if b[i] == byte { return i }; i -= 1 }
        return nil
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
