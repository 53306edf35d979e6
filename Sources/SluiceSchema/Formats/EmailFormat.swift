/// The `email` and `idn-email` formats: an RFC 5321 mailbox (RFC 6531 for idn-email).
extension Formats {
    static let atext: [Bool] = {
        var t = [Bool](repeating: false, count: 128)
        for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8 { t[Int(c)] = true }
        return t
    }()

    static func isEmail(_ text: String, international: Bool) -> Bool {
        if let plain = text.utf8.withContiguousStorageIfAvailable(plainASCIIEmail), let answer = plain { return answer }
        return isEmailInGeneral(text, international: international)
    }

    /// The common shape, on bytes: an ASCII dot-atom local part and an ASCII hostname. Nil for
    /// anything else (quoted local parts, address literals, non-ASCII), which the general
    /// check decides; false only when the general check would say false too.
    static func plainASCIIEmail(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var at = -1
        for i in b.indices {
            let c = b[i]
            if c >= 0x80 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "[") { return nil }
            if c == UInt8(ascii: "@") { at = i }
        }
        guard at > 0, at < b.count - 1, at <= 64 else { return at < 0 ? false : nil }
        var previousDot = true
        for i in 0..<at {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
                continue
            }
            previousDot = false
            if !atext[Int(c)] { return false }
        }
        if previousDot { return false }
        return plainASCIIHostname(UnsafeBufferPointer(rebasing: b[(at + 1)...]))
    }

    static func isEmailInGeneral(_ text: String, international: Bool) -> Bool {
        // Split at the last "@" by bytes ("@" is ASCII, so a byte index is a scalar boundary).
        guard let atOffset = text.utf8.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let at = atOffset
        let local = text[..<at], domain = text[text.utf8.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
            var escaped = false
            for s in local.unicodeScalars.dropFirst().dropLast() {
                if escaped { escaped = false; continue }
                if s == "\\" { escaped = true; continue }
                if s == "\"" { return false }
                if s.value < 0x20 && s != "\t" { return false }
                if s.value >= 0x7F && !international { return false }
            }
            if escaped { return false }
        } else {
            guard local.utf8.count <= 64 || international else { return false }
            // Dot-atom: atext runs separated by single dots.
            var previousDot = true
            for c in local.utf8 {
                if c == UInt8(ascii: ".") {
                    if previousDot { return false }
                    previousDot = true
                    continue
                }
                previousDot = false
                if c >= 0x80 { if international { continue } else { return false } }
                if !atext[Int(c)] { return false }
            }
            if previousDot { return false }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return false }
            let literal = domain.dropFirst().dropLast()
            if literal.hasPrefix("IPv6:") { return isIPv6(String(literal.dropFirst(5))) }
            return isIPv4(String(literal))
        }
        return isHostname(String(domain), international: international)
    }
}
