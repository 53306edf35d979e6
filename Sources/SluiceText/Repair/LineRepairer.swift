public import SluiceCharset
/// Streaming line repair: feed blocks of bytes, get repaired lines back as soon as they are
/// complete. Memory stays bounded by the block size and the longest line, except for UTF-16 and
/// UTF-32 input, which is buffered whole (its lines cannot be cut at byte 0x0A).
public final class LineRepairer {
    public let options: LineRepair.Options
    /// How the input was decoded: the detection on its first block.
    public private(set) var decoded: DecodedText?

    /// Bytes of the first block kept until a charset can be chosen.
    static let detectionBlock = CharsetDetector.sampleBytes

    private var pending: [UInt8] = []
    private var charset: TextCharset?
    private var wide = false
    private var lineNumber = 0
    /// Inside an over-long line: drop bytes until its newline.
    private var skippingLongLine = false

    public init(options: LineRepair.Options = LineRepair.Options()) {
        self.options = options
    }

    /// Adds bytes; returns the lines they complete.
    public func feed(_ bytes: [UInt8]) -> [LineRepair.Line] {
        var bytes = bytes[...]
        if skippingLongLine {
            if wide { return [] }
            guard let nl = bytes.firstIndex(of: 0x0A) else { return [] }
            bytes = bytes[(nl + 1)...]
            skippingLongLine = false
        }
        pending += bytes
        let tailStart = (pending.lastIndex(of: 0x0A) ?? -1) + 1
        if !wide, pending.count - tailStart > options.maxLineBytes {
            // The unfinished last line is already too long: emit the lines before it, refuse
            // it, and drop the rest of it as it arrives.
            if charset == nil { choose(from: Array(pending.prefix(Self.detectionBlock)), isComplete: false) }
            var out: [LineRepair.Line] = []
            if !wide, tailStart > 0 { out = process(Array(pending[..<tailStart])) }
            lineNumber += 1
            out.append(LineRepair.refuse(number: lineNumber, raw: Array(pending[tailStart...].prefix(options.maxLineBytes)),
                                         reason: "line longer than \(options.maxLineBytes) bytes", options: options))
            pending.removeAll()
            skippingLongLine = true
            return out
        }
        if wide, pending.count > 4 * options.maxLineBytes {
            lineNumber += 1
            let refused = LineRepair.refuse(number: lineNumber, raw: Array(pending.prefix(options.maxLineBytes)),
                                            reason: "UTF-16/32 input is buffered whole and is over \(4 * options.maxLineBytes) bytes",
                                            options: options)
            pending.removeAll()
            skippingLongLine = true
            return [refused]
        }
        return feedPending()
    }

    private func feedPending() -> [LineRepair.Line] {
        if charset == nil && !wide {
            guard pending.count >= Self.detectionBlock else { return [] }
            choose(from: Array(pending.prefix(Self.detectionBlock)), isComplete: false)
        }
        if wide { return [] }
        guard let lastNewline = pending.lastIndex(of: 0x0A) else { return [] }
        let complete = Array(pending[...lastNewline])
        pending.removeSubrange(...lastNewline)
        return process(complete)
    }

    /// Ends the input; returns the remaining lines.
    public func finish() -> [LineRepair.Line] {
        if charset == nil && !wide { choose(from: pending, isComplete: true) }
        let rest = pending
        pending = []
        if wide { return processWide(rest) }
        return process(rest)
    }

    /// Detects on the first block. A block that is only the start of the input is cut back to
    /// its last line break first, so that a character split by the cut does not rule UTF-8 out.
    private func choose(from block: [UInt8], isComplete: Bool) {
        switch CharsetDetector.decode(prefix: block, isComplete: isComplete, minConfidence: options.minConfidence) {
        case .success(let d):
            decoded = d
            charset = d.charset
            wide = [.utf16LE, .utf16BE, .utf32LE, .utf32BE].contains(d.charset)
        case .failure:
            // Nothing fits the block as a whole: lines are decoded one by one.
            charset = .utf8
        }
    }

    private func process(_ bytes: [UInt8]) -> [LineRepair.Line] {
        var rawLines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if rawLines.last?.isEmpty == true { rawLines.removeLast() }
        var out: [LineRepair.Line] = []
        out.reserveCapacity(rawLines.count)
        var skipBOM = lineNumber == 0 && decoded?.hadBOM == true
        for (idx, slice) in rawLines.enumerated() {
            lineNumber += 1
            var raw = Array(slice)
            if skipBOM {
                raw = Array(raw.dropFirst(raw.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0))
                skipBOM = false
            }
            var decodeFix: RepairFix?
            var text: String
            if let t = decodeLine(raw) {
                text = t
            } else {
                // Not valid in the current charset: detect again from this line on (more text
                // gives a surer answer than the line alone).
                let window = Array(rawLines[idx...].prefix(200).joined(separator: [0x0A]).prefix(Self.detectionBlock))
                if case .success(let d) = CharsetDetector.decode(window, minConfidence: options.minConfidence),
                   let t = decodeLine(raw, as: d.charset) {
                    charset = d.charset
                    text = t
                    decodeFix = d.fix
                } else {
                    switch CharsetDetector.decode(raw, minConfidence: options.minConfidence) {
                    case .success(let d):
                        text = d.text
                        decodeFix = d.fix
                    case .failure(let e):
                        out.append(LineRepair.refuse(number: lineNumber, raw: raw, reason: e.message, options: options))
                        continue
                    }
                }
            }
            out.append(finishLine(text, raw: raw, decodeFix: decodeFix))
        }
        return out
    }

    private func finishLine(_ decodedText: String, raw: [UInt8], decodeFix: RepairFix?) -> LineRepair.Line {
        var text = decodedText
        var fixes: [RepairFix] = decodeFix.map { [$0] } ?? []
        if text.unicodeScalars.last == "\r" {
            text.unicodeScalars.removeLast()
            if options.repair.normalization.normalizeLineEndings { fixes.append(RepairFix(.lineEndings, count: 1)) } else { text += "\r" }
        }
        return LineRepair.repairLine(number: lineNumber, text: text, raw: raw, fixes: fixes, options: options)
    }

    private func decodeLine(_ raw: [UInt8], as c: TextCharset? = nil) -> String? {
        let cs = c ?? charset ?? .utf8
        if cs == .utf8 { return String(validating: raw, as: UTF8.self) }
        return CharsetDetector.decodeStrict(raw, cs)
    }

    /// UTF-16/32: the whole input was buffered; split the decoded text.
    private func processWide(_ bytes: [UInt8]) -> [LineRepair.Line] {
        guard case .success(let d) = CharsetDetector.decode(bytes, minConfidence: options.minConfidence) else {
            lineNumber += 1
            return [LineRepair.refuse(number: lineNumber, raw: bytes, reason: "the input is not valid \(decoded?.charset.name ?? "UTF-16")", options: options)]
        }
        var parts = d.text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.map { part in
            lineNumber += 1
            return finishLine(part, raw: Array(part.utf8), decodeFix: nil)
        }
    }
}
