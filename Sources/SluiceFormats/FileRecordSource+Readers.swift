import SluiceCore
import SluiceJSON
import SluiceCharset

extension FileRecordSource {
    /// The reader for one file: its format, decompression and encoding (for CSV and XML decided
    /// here, once per file, from the first bytes; for whole-file formats by the reader), and the
    /// charset its records are decoded with, when that is known before reading.
    func makeReader(_ file: MatchedFile, raw: FileByteStream, settings: ReaderSettings) -> MadeReader {
        let name = file.url.lastPathComponent
        let fileItem = { (code: RecordFailure.Code, message: String) in
            ReadItem.failure(code, message, raw: [], locator: Locator(), id: settings.path)
        }
        guard let format = input.settings.format ?? FileFormat.detect(fileName: name) else {
            return .failed(fileItem(.unsupportedFormat, "format: auto does not know the extension of '\(name)'; set 'format' or narrow 'paths'"))
        }
        var stream: any ByteStream = raw
        if FileFormat.isGzip(fileName: name) {
            let check = GzipMemberCheck.run(raw, maxDecompressedBytes: limits.maxDecompressedBytes)
            do throws(StreamFailure) { stream = try GzipByteStream(source: raw, maxDecompressedBytes: limits.maxDecompressedBytes, check: check) } catch {
                return .failed(fileItem(error.code, error.message))
            }
        }
        let pinned = input.settings.encoding
        if format == .xml {
            guard let element = input.settings.xmlRecordElement else {
                return .failed(fileItem(.unsupportedFormat, "'\(name)' is XML but the input has no 'xml.record_element' to say which element a record is"))
            }
            let peeked = PeekedStream(stream, count: FileEncoding.prefixBytes)
            let choice = XMLEncodingChoice.choose(prefix: peeked.prefix, isComplete: peeked.isComplete, pinned: pinned)
            if let report = choice.report {
                queued += FileEncoding.items(for: report, scope: choice.scope, input: input.instanceName, path: settings.path, time: time)
            }
            return .reader(XMLRecordReader(stream: peeked, settings: settings, recordElement: element, encoding: choice.encoding,
                                           encodingNote: choice.note), charset: choice.charset)
        }
        let decoded: (stream: any ByteStream, encoding: SniffedEncoding)
        do throws(StreamFailure) { decoded = try utf8Stream(over: stream) } catch {
            return .failed(fileItem(error.code, error.message))
        }
        let startOffset = decoded.encoding == .utf8BOM ? 3 : 0
        let hasBOM = decoded.encoding != .utf8
        switch format {
        case .jsonl:
            return .reader(JSONLinesReader(input: ChunkReader(stream: decoded.stream, startOffset: startOffset), settings: settings),
                           charset: decoded.encoding.charset.name)
        case .json:
            return .reader(JSONDocumentReader(input: ChunkReader(stream: decoded.stream, startOffset: startOffset), settings: settings),
                           charset: decoded.encoding.charset.name)
        case .csv:
            var csv = input.settings.csv
            if FileFormat.isTSV(fileName: name) && !input.settings.csvDelimiterSet { csv.delimiter = 0x09 }
            var textStream = decoded.stream
            var encoding = FileEncoding(kind: .utf8, origin: "\(decoded.encoding.name), as its byte order mark says", report: nil)
            var charset = decoded.encoding.charset
            if !hasBOM {
                // One decision per file, from its first bytes; every row is then decoded with it.
                let peeked = PeekedStream(decoded.stream, count: FileEncoding.prefixBytes)
                let (choice, wide) = FileEncoding.choose(prefix: peeked.prefix, isComplete: peeked.isComplete, pinned: pinned)
                encoding = choice
                textStream = peeked
                if case .legacy(let legacy) = choice.kind { charset = legacy }
                if let wide {
                    textStream = TranscodingStream(inner: peeked, charset: wide)
                    charset = wide
                }
                if let report = choice.report {
                    let scope = pinned != nil ? "pinned" : peeked.isComplete ? "the whole file" : "the first \(FileEncoding.prefixBytes / 1024) KiB"
                    queued += FileEncoding.items(for: report, scope: scope, input: input.instanceName, path: settings.path, time: time)
                }
            }
            return .reader(CSVReader(input: ChunkReader(stream: textStream, startOffset: startOffset), settings: settings, options: csv,
                                     encoding: encoding), charset: charset.name)
        case .text, .markdown, .html:
            var textStream = decoded.stream
            var wholePin: TextCharset?
            if !hasBOM, let pinned {
                if pinned.isWide { textStream = TranscodingStream(inner: decoded.stream, charset: pinned) } else { wholePin = pinned }
                if pinned != .utf8 {
                    let report = DecodedText.pinned(pinned)
                    queued += FileEncoding.items(for: report, scope: "pinned", input: input.instanceName, path: settings.path, time: time)
                }
            }
            let chunks = ChunkReader(stream: textStream, startOffset: startOffset)
            let convert: (String) -> Result<JSONObject, DocumentFailure>
            switch format {
            case .text:
                let headerFields = input.settings.textHeaderFields
                convert = { .success(TextDocument.convert($0, path: settings.path, headerFields: headerFields)) }
            case .markdown:
                convert = { MarkdownDocument.convert($0, path: settings.path, maxDepth: settings.maxDepth) }
            default:
                let element = input.settings.htmlContentElement
                convert = { HTMLDocument.convert($0, path: settings.path, contentElement: element, maxDepth: settings.maxDepth) }
            }
            // Without a BOM or a pin, the reader detects the charset (FileRecordSource asks it afterwards).
            let charset = hasBOM ? decoded.encoding.charset : pinned ?? .utf8
            return .reader(WholeFileReader(input: chunks, settings: settings, pinned: wholePin, convert: convert), charset: charset.name)
        case .xml:
            return .failed(fileItem(.unsupportedFormat, "unreachable"))
        }
    }

}

enum MadeReader {
    /// The reader, and the charset its records are decoded with (nil when unknown).
    case reader(any FormatReader, charset: String?)
    case failed(ReadItem)
}
