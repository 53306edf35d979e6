public import SluiceCharset

extension DecodedText {
    /// The decode as a fix, for the audit trail (`decoded: windows-1251, confidence 0.93`).
    public var fix: RepairFix {
        RepairFix(.decoded, detail: "\(charset.name), confidence \(Self.format(confidence))")
    }
}
