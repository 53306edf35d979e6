public import SluiceCore
import SluiceJSON

/// One run's reading of a file input: files in sorted order, one record at a time.
///
/// `checkpoint` always describes everything yielded so far (see `RecordSource`): finished files
/// with their size, mtime and hash, and the file being read with the count of items taken from it.
final class FileRecordSource: RecordSource {
    private let input: FileInput
    private let files: [MatchedFile]
    private let limits: Limits
    private let prior: FileCheckpoint
    private var state: FileCheckpoint
    private var position = 0
    private var current: OpenFile?
    private var skippedUnchanged = 0
    private var noticeSent = false

    private final class OpenFile {
        let file: MatchedFile
        let raw: FileByteStream
        let reader: any FormatReader
        var count: Int
        var lastResumePoint: ResumePoint?

        init(file: MatchedFile, raw: FileByteStream, reader: any FormatReader, count: Int) {
            self.file = file
            self.raw = raw
            self.reader = reader
            self.count = count
            lastResumePoint = reader.resumePoint
        }
    }

    init(input: FileInput, files: [MatchedFile], limits: Limits, checkpoint: FileCheckpoint) {
        self.input = input
        self.files = files
        self.limits = limits
        prior = checkpoint
        // Files that vanished since the last run leave the checkpoint.
        let present = Set(files.map(\.relativePath))
        state = checkpoint
        state.files = checkpoint.files.filter { present.contains($0.key) }
    }

    var checkpoint: Checkpoint { state.json }

    func next() async throws -> SourceItem? { nextItem() }

    func nextItem() -> SourceItem? {
        while true {
            if let open = current {
                if let item = open.reader.next() {
                    open.count += 1
                    let point = open.reader.resumePoint
                    let advanced = point != nil && point != open.lastResumePoint
                    open.lastResumePoint = point
                    let path = open.file.relativePath
                    state.files[path]?.records = open.count
                    state.files[path]?.offset = advanced ? point?.offset : nil
                    state.files[path]?.line = advanced ? point?.line : nil
                    return convert(item, file: open.file)
                }
                finish(open)
                current = nil
                continue
            }
            guard position < files.count else {
                if skippedUnchanged > 0 && !noticeSent {
                    noticeSent = true
                    let n = skippedUnchanged
                    return .notice(SourceNotice(code: "skipped_unchanged",
                                                message: "input '\(input.instanceName)': skipped \(n) unchanged file\(n == 1 ? "" : "s") read in an earlier run", count: n))
                }
                return nil
            }
            let file = files[position]
            position += 1
            if let item = start(file) { return item }
        }
    }

    /// Opens `file` (or decides to skip it). Returns an item when the file fails at once.
    private func start(_ file: MatchedFile) -> SourceItem? {
        let path = file.relativePath
        let status: FileStatus
        switch FileStatus.of(file.url.path) {
        case .failure(let f):
            state.files[path] = nil
            return unreadable(file, f)
        case .success(let s): status = s
        }
        let previous = prior.files[path]
        if let p = previous, p.done, p.matches(status), let sha = p.sha256 {
            do throws(StreamFailure) {
                let probe = try FileByteStream(path: file.url.path)
                if probe.drain(), probe.sha256() == sha {
                    skippedUnchanged += 1
                    return nil
                }
            } catch {
                state.files[path] = nil
                return unreadable(file, error)
            }
        }
        let resume = previous.flatMap { !$0.done && $0.matches(status) ? $0 : nil }
        let raw: FileByteStream
        do throws(StreamFailure) { raw = try FileByteStream(path: file.url.path) } catch {
            state.files[path] = nil
            return unreadable(file, error)
        }
        let settings = ReaderSettings(path: path, maxRecordBytes: limits.maxRecordBytes, maxDepth: limits.maxDepth)
        let made = makeReader(file, raw: raw, settings: settings)
        let reader: any FormatReader
        switch made {
        case .failed(let item):
            // The content, not the disk, is at fault (an unknown extension, a damaged gzip header):
            // the file counts as read, so an unchanged file is not quarantined again next run.
            markDone(raw, path: path)
            return convert(item, file: file)
        case .reader(let r): reader = r
        }
        var count = 0
        if let resume, resume.records > 0 {
            if let offset = resume.offset, let line = resume.line, seek(reader, to: ResumePoint(offset: offset, line: line), records: resume.records) {
                count = resume.records
            } else {
                while count < resume.records, reader.next() != nil { count += 1 }
            }
        }
        let open = OpenFile(file: file, raw: raw, reader: reader, count: count)
        current = open
        state.files[path] = FileCheckpoint.Entry(size: raw.status.size, mtime: raw.status.mtime, sha256: nil, done: false, records: count,
                                                 offset: resume?.offset, line: resume?.line)
        return nil
    }

    private func seek(_ reader: any FormatReader, to point: ResumePoint, records: Int) -> Bool {
        if let r = reader as? JSONLinesReader { return r.skip(to: point) }
        if let r = reader as? CSVReader {
            guard r.readHeader() == nil, r.skip(to: point) else { return false }
            r.setNextIndex(records)
            return true
        }
        return false
    }

    private func makeReader(_ file: MatchedFile, raw: FileByteStream, settings: ReaderSettings) -> MadeReader {
        let name = file.url.lastPathComponent
        let fileItem = { (code: RecordFailure.Code, message: String) in
            ReadItem.failure(code, message, raw: [], locator: Locator(), id: settings.path)
        }
        guard let format = input.settings.format ?? FileFormat.detect(fileName: name) else {
            return .failed(fileItem(.unsupportedFormat, "format: auto does not know the extension of '\(name)'; set 'format' or narrow 'paths'"))
        }
        var stream: any ByteStream = raw
        if FileFormat.isGzip(fileName: name) {
            do throws(StreamFailure) { stream = try GzipByteStream(source: raw, maxDecompressedBytes: limits.maxDecompressedBytes) } catch {
                return .failed(fileItem(error.code, error.message))
            }
        }
        if format == .xml {
            guard let element = input.settings.xmlRecordElement else {
                return .failed(fileItem(.unsupportedFormat, "'\(name)' is XML but the input has no 'xml.record_element' to say which element a record is"))
            }
            return .reader(XMLRecordReader(stream: stream, settings: settings, recordElement: element))
        }
        let decoded: (stream: any ByteStream, encoding: SniffedEncoding)
        do throws(StreamFailure) { decoded = try utf8Stream(over: stream) } catch {
            return .failed(fileItem(error.code, error.message))
        }
        let startOffset = decoded.encoding == .utf8BOM ? 3 : 0
        let chunks = ChunkReader(stream: decoded.stream, startOffset: startOffset)
        switch format {
        case .jsonl:
            return .reader(JSONLinesReader(input: chunks, settings: settings))
        case .json:
            return .reader(JSONDocumentReader(input: chunks, settings: settings))
        case .csv:
            var csv = input.settings.csv
            if FileFormat.isTSV(fileName: name) && !input.settings.csvDelimiterSet { csv.delimiter = 0x09 }
            return .reader(CSVReader(input: chunks, settings: settings, options: csv))
        case .text:
            let headerFields = input.settings.textHeaderFields
            return .reader(WholeFileReader(input: chunks, settings: settings) { text in
                .success(TextDocument.convert(text, path: settings.path, headerFields: headerFields))
            })
        case .markdown:
            return .reader(WholeFileReader(input: chunks, settings: settings) { text in
                MarkdownDocument.convert(text, path: settings.path, maxDepth: settings.maxDepth)
            })
        case .html:
            let element = input.settings.htmlContentElement
            return .reader(WholeFileReader(input: chunks, settings: settings) { text in
                HTMLDocument.convert(text, path: settings.path, contentElement: element, maxDepth: settings.maxDepth)
            })
        case .xml:
            return .failed(fileItem(.unsupportedFormat, "unreachable"))
        }
    }

    private func finish(_ open: OpenFile) {
        markDone(open.raw, path: open.file.relativePath)
    }

    /// Records the file as read, with the hash of all its bytes (a read error leaves it unrecorded,
    /// so the next run tries again).
    private func markDone(_ raw: FileByteStream, path: String) {
        guard raw.drain() else {
            state.files[path] = nil
            return
        }
        state.files[path] = FileCheckpoint.Entry(size: raw.status.size, mtime: raw.status.mtime, sha256: raw.sha256(), done: true)
    }

    private func unreadable(_ file: MatchedFile, _ failure: StreamFailure) -> SourceItem {
        convert(.failure(failure.code, failure.message, raw: [], locator: Locator(), id: file.relativePath), file: file)
    }

    private func convert(_ item: ReadItem, file: MatchedFile) -> SourceItem {
        let provenance = Provenance(input: input.instanceName, uri: file.relativePath, locator: item.locator,
                                    sha256: item.rawSHA256 ?? ContentHash.sha256Hex(item.raw))
        func failure(_ code: RecordFailure.Code, _ message: String, pointer: String?) -> SourceItem {
            .failure(RecordFailure(code: code, message: message, recordID: item.derivedID, provenance: provenance, pointer: pointer,
                                   original: RawBytes(item.raw, totalCount: item.rawTotal)))
        }
        switch item.content {
        case .failure(let code, let message):
            return failure(code, message, pointer: item.pointer)
        case .value(let value):
            guard let pointer = input.settings.idPointer else {
                return .record(Record(id: item.derivedID, value: value, provenance: provenance))
            }
            switch pointer.get(in: value) {
            case .string(let s)?:
                return .record(Record(id: s, value: value, provenance: provenance))
            case .number(let n)?:
                return .record(Record(id: n.text, value: value, provenance: provenance))
            case nil, .null?:
                return failure(.missingField, "the id field \(pointer) is missing", pointer: pointer.description)
            case let other?:
                return failure(.wrongType, "the id field \(pointer) is a \(other.typeName); ids must be strings or numbers", pointer: pointer.description)
            }
        }
    }
}

private enum MadeReader {
    case reader(any FormatReader)
    case failed(ReadItem)
}

extension RecordFailure.Code {
    /// `format: auto` met a file whose extension it does not know, or XML without a record element.
    public static let unsupportedFormat = RecordFailure.Code("unsupported_format")
}
