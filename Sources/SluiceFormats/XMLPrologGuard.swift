/// Watches the bytes before an XML document's root element and refuses any entity declaration,
/// before libxml2 sees it.
///
/// Entity declarations are how billion-laughs expansion and external entities (`SYSTEM
/// "file:///etc/passwd"`, `http://...`) get in; a record feed has no use for them. The bytes that
/// hold the declaration are never handed to the parser, so nothing is expanded or fetched. A DOCTYPE
/// without entity declarations is allowed (its external DTD, if any, is never loaded).
/// UTF-16/32 documents are scanned with their zero bytes skipped, which leaves ASCII markup intact.
struct XMLPrologGuard {
    private(set) var reachedRoot = false
    private(set) var wide = false
    private var sawFirstBytes = false
    private var window: [UInt8] = []
    private var inComment = false
    private var previous: UInt8 = 0

    /// Scans the next bytes. Returns a reason when they declare an entity.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard !reachedRoot else { return nil }
        if !sawFirstBytes, bytes.count >= 2 {
            sawFirstBytes = true
            wide = bytes[0] == 0 || bytes[1] == 0 || (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)
        }
        for b in bytes {
            if wide && b == 0 { continue }
            window.append(b)
            if window.count > 9 { window.removeFirst() }
            if inComment {
                if window.ends(with: "-->") { inComment = false }
                previous = b
                continue
            }
            if window.ends(with: "<!--") {
                inComment = true
            } else if window.ends(with: "<!ENTITY") {
                return "the document declares an entity (<!ENTITY ...> in its DOCTYPE); entity declarations are refused, "
                    + "never expanded or fetched (they enable billion-laughs expansion and external-entity reads)"
            } else if previous == UInt8(ascii: "<"), b >= 0x80 || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
                        || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) {
                reachedRoot = true
                return nil
            }
            previous = b
        }
        return nil
    }
}

private extension Array where Element == UInt8 {
    func ends(with text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard count >= n else { return false }
        let p = text.utf8Start
        for i in 0..<n where self[count - n + i] != p[i] { return false }
        return true
    }
}
