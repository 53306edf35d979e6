import SluiceCharset

/// Which encoding libxml2 reads an XML file in. XML's own rules (byte order mark, else the
/// declaration, else UTF-8) stand unless the bytes contradict them: a declared charset is checked
/// (`declared iso-8859-1` over valid UTF-8 is read as UTF-8), and a document without a
/// declaration that is not UTF-8 is detected on its first 64 KiB. A pinned `encoding` wins over
/// everything but a byte order mark.
struct XMLEncodingChoice {
    /// The iconv name handed to libxml2, overriding the declaration; nil: XML's own rules.
    var encoding: String?
    /// The detection or pin, for the audit trail; nil when XML's own rules were followed.
    var report: DecodedText?
    var scope: String
    /// Why this encoding, for decoding failures.
    var note: String?
    /// The charset the document is read in (Sluice's name, or a declared label libxml2 knows
    /// and Sluice does not); nil when nothing decided it.
    var charset: String?

    static func choose(prefix: [UInt8], isComplete: Bool, pinned: TextCharset?) -> XMLEncodingChoice {
        let scope = isComplete ? "the whole file" : "the first \(FileEncoding.prefixBytes / 1024) KiB"
        if let pinned {
            let report = DecodedText.pinned(pinned)
            return XMLEncodingChoice(encoding: pinned.converterName, report: pinned == .utf8 ? nil : report, scope: "pinned",
                                     note: "read as \(pinned.name), the encoding set on the input", charset: pinned.name)
        }
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) || prefix.starts(with: [0xFF, 0xFE]) || prefix.starts(with: [0xFE, 0xFF]) {
            return XMLEncodingChoice(encoding: nil, report: nil, scope: scope, note: nil, charset: SniffedEncoding.sniff(Array(prefix.prefix(4))).charset.name)
        }
        switch CharsetDetector.decode(prefix: prefix, isComplete: isComplete, minConfidence: FileEncoding.minConfidence) {
        case .success(let d):
            // Labels Sluice does not know are libxml2's business (it has more converters).
            if let declared = d.declared, d.declarationHonoured || TextCharset(label: declared) == nil {
                return XMLEncodingChoice(encoding: nil, report: nil, scope: scope, note: "read as \(declared), as the document declares",
                                         charset: TextCharset(label: declared)?.name ?? declared.lowercased())
            }
            if d.declared == nil && (d.charset == .utf8 || d.charset.isWide) {
                return XMLEncodingChoice(encoding: nil, report: nil, scope: scope, note: nil, charset: d.charset.name)
            }
            guard TextDecoding.isPlausibleText(d.text) else {
                return XMLEncodingChoice(encoding: nil, report: nil, scope: scope,
                                         note: "not UTF-8, and read as \(d.charset.name) \(scope) holds control or non-characters")
            }
            let how = d.declared.map { "declared \($0), but " } ?? "no encoding declared; "
            return XMLEncodingChoice(encoding: d.charset.converterName, report: d, scope: scope,
                                     note: "\(how)read as \(d.charset.name), detected from \(scope) with confidence \(DecodedText.formatted(d.confidence))",
                                     charset: d.charset.name)
        case .failure(let u):
            return XMLEncodingChoice(encoding: nil, report: nil, scope: scope,
                                     note: "no usable encoding declaration, not UTF-8, and no encoding reads \(scope) with confidence: \(u.message)")
        }
    }
}
