import SluiceCore

/// One CSV row as scanned: field values (unquoted, quotes undoubled) concatenated in `values` with
/// their end offsets, and the row's raw bytes.
struct CSVRow {
    var values: [UInt8] = []
    var fieldEnds: [Int] = []
    var raw: [UInt8] = []
    var rawTotal = 0
    var sha256: String?
    var line: Int
    var offset: Int
    var tooLarge = false
    var unclosedQuote = false
    var cut = false
    /// A syntax problem that spoils this row only.
    var problem: String?
    /// An empty line.
    var isBlank: Bool { rawTotal == 0 && !unclosedQuote }
}

extension CSVReader {
    private enum ScanState { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Scans the next row; nil at the end of the input. Memory is bounded by `max_record_bytes`:
    /// past it the row is still scanned (to find where it ends) but not kept.
    func scanRow() -> CSVRow? {
        let delimiter = options.delimiter
        let quote = options.quote
        let limit = settings.maxRecordBytes
        var row = CSVRow(line: currentLine, offset: input.offset)
        var state = ScanState.fieldStart
        var hasher: StreamingSHA256?
        var sawAny = false
        var fieldStartColumnLine = currentLine
        let twoByte = self.twoByte
        var pendingTrail = false
        // The row ended at a CR: an LF right after it belongs to the same line break.
        var endedAtCR = false

        func endField() {
            if !row.tooLarge { row.fieldEnds.append(row.values.count) }
        }
        func stripCR() {
            if !row.tooLarge, state == .unquoted, row.values.last == 0x0D, row.values.count > (row.fieldEnds.last ?? 0) { row.values.removeLast() }
        }

        while true {
            if input.isEmpty && !input.fill() { break }
            let chunk = input.available
            var i = 0
            var rowEnded = false
            while i < chunk.count {
                // The second byte of a double-byte character is part of it, whatever ASCII it looks like.
                if pendingTrail {
                    pendingTrail = false
                    if let twoByte, chunk[i] >= twoByte.minimumTrail {
                        if !row.tooLarge { row.values.append(chunk[i]) }
                        i += 1
                        continue
                    }
                }
                // Inside a field, copy the run up to the next byte that matters in one go.
                if state == .quoted || state == .unquoted {
                    let runStart = i
                    if let lead = twoByte?.lead {
                        if state == .quoted {
                            while i < chunk.count && chunk[i] != quote && !lead[Int(chunk[i])] {
                                if chunk[i] == 0x0A { currentLine += 1 }
                                i += 1
                            }
                        } else {
                            while i < chunk.count && chunk[i] != delimiter && chunk[i] != 0x0A && chunk[i] != 0x0D && !lead[Int(chunk[i])] { i += 1 }
                        }
                    } else if state == .quoted {
                        while i < chunk.count && chunk[i] != quote {
                            if chunk[i] == 0x0A { currentLine += 1 }
                            i += 1
                        }
                    } else {
                        while i < chunk.count && chunk[i] != delimiter && chunk[i] != 0x0A && chunk[i] != 0x0D { i += 1 }
                    }
                    if i > runStart && !row.tooLarge { row.values.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[runStart..<i])) }
                    if i >= chunk.count { break }
                    if let lead = twoByte?.lead, lead[Int(chunk[i])] {
                        if !row.tooLarge { row.values.append(chunk[i]) }
                        i += 1
                        pendingTrail = true
                        continue
                    }
                }
                let b = chunk[i]
                i += 1
                if let lead = twoByte?.lead, lead[Int(b)], state == .fieldStart || state == .quoteInQuoted { pendingTrail = true }
                switch state {
                case .fieldStart:
                    if b == quote {
                        state = .quoted
                        fieldStartColumnLine = currentLine
                    } else if b == delimiter {
                        endField()
                    } else if b == 0x0A || b == 0x0D {
                        if row.rawTotal + i - 1 > 0 || !row.fieldEnds.isEmpty { endField() }
                        rowEnded = true
                        endedAtCR = b == 0x0D
                    } else {
                        if !row.tooLarge { row.values.append(b) }
                        state = .unquoted
                    }
                case .unquoted:
                    if b == delimiter {
                        stripCR()
                        endField()
                        state = .fieldStart
                    } else if b == 0x0A || b == 0x0D {
                        endField()
                        rowEnded = true
                        endedAtCR = b == 0x0D
                    } else if !row.tooLarge {
                        row.values.append(b)
                    }
                case .quoted:
                    if b == quote {
                        state = .quoteInQuoted
                    } else {
                        if b == 0x0A { currentLine += 1 }
                        if !row.tooLarge { row.values.append(b) }
                    }
                case .quoteInQuoted:
                    if b == quote {
                        if !row.tooLarge { row.values.append(b) }
                        state = .quoted
                    } else if b == delimiter {
                        endField()
                        state = .fieldStart
                    } else if b == 0x0A || b == 0x0D {
                        endField()
                        rowEnded = true
                        endedAtCR = b == 0x0D
                    } else {
                        if row.problem == nil {
                            row.problem = "a character after the closing quote of field \(row.fieldEnds.count + 1) (opened on line \(fieldStartColumnLine)); "
                                + "a quote inside a quoted field must be doubled"
                        }
                        if !row.tooLarge { row.values.append(b) }
                        state = .unquoted
                    }
                }
                if rowEnded { break }
            }
            sawAny = true
            let segment = UnsafeRawBufferPointer(rebasing: chunk[..<(rowEnded ? i - 1 : i)])
            if hasher == nil && row.rawTotal + segment.count > limit {
                var h = StreamingSHA256()
                h.update(row.raw)
                hasher = h
                row.raw = Array(row.raw.prefix(RawBytes.defaultLimit))
                row.tooLarge = true
                row.values = []
                row.fieldEnds = []
            }
            if hasher != nil {
                hasher?.update(segment)
                if row.raw.count < RawBytes.defaultLimit { row.raw.append(contentsOf: segment.prefix(RawBytes.defaultLimit - row.raw.count)) }
            } else {
                row.raw.append(contentsOf: segment)
            }
            row.rawTotal += segment.count
            input.consume(i)
            if rowEnded {
                currentLine += 1
                if endedAtCR, input.peek() == 0x0A { input.consume(1) }
                if row.raw.last == 0x0D && hasher == nil {
                    row.raw.removeLast()
                    row.rawTotal -= 1
                }
                row.sha256 = hasher?.finalizeHex()
                if row.rawTotal == 0 { row.fieldEnds = [] }
                return row
            }
        }
        // End of input (or a stream failure) without a final newline.
        guard sawAny else { return nil }
        row.cut = input.failure != nil
        if state == .quoted {
            row.unclosedQuote = true
        } else if row.rawTotal > 0 {
            stripCR()
            endField()
        }
        row.sha256 = hasher?.finalizeHex()
        return row
    }
}
