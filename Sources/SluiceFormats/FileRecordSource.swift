public import SluiceCore
import SluiceJSON
import SluiceCharset

/// One run's reading of a file input: files in sorted order, one record at a time.
///
/// `checkpoint` always describes everything yielded so far (see `RecordSource`): finished files
/// with their size, mtime and hash, and the file being read with the count of items taken from it.
final class FileRecordSource: RecordSource {
    let input: FileInput
    private let files: [MatchedFile]
    let limits: Limits
    private let prior: FileCheckpoint
    let time: any TimeSource
    /// Items to hand out before reading on: a file's `decoded` event and notice.
    var queued: [SourceItem] = []
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
        /// Whether the reader's own charset detection (whole-file formats) was reported.
        var reportedDecoding = false
        /// The charset the file's records are decoded with (their provenance's `charset`).
        var charset: String?

        init(file: MatchedFile, raw: FileByteStream, reader: any FormatReader, count: Int, charset: String?) {
            self.file = file
            self.raw = raw
            self.reader = reader
            self.count = count
            self.charset = charset
            lastResumePoint = reader.resumePoint
        }
    }

    init(input: FileInput, files: [MatchedFile], limits: Limits, time: any TimeSource, checkpoint: FileCheckpoint) {
        self.input = input
        self.files = files
        self.limits = limits
        self.time = time
        prior = checkpoint
        // Files that vanished since the last run leave the checkpoint.
        let present = Set(files.map(\.relativePath))
        state = checkpoint
        state.files = checkpoint.files.filter { present.contains($0.key) }
    }

    var checkpoint: Checkpoint { state.json }

    var progress: SourceProgress? {
        SourceProgress(unit: "file", done: position - (current == nil ? 0 : 1), total: files.count)
    }

    func next() async throws -> SourceItem? { nextItem() }

    func nextItem() -> SourceItem? {
        while true {
            if !queued.isEmpty { return queued.removeFirst() }
            if let open = current {
                if let item = open.reader.next() {
                    if !open.reportedDecoding, let whole = open.reader as? WholeFileReader, let decoded = whole.decoded {
                        open.reportedDecoding = true
                        open.charset = decoded.charset.name
                        queued += FileEncoding.items(for: decoded, scope: "the whole file", input: input.instanceName,
                                                     path: open.file.relativePath, time: time)
                    }
                    open.count += 1
                    let point = open.reader.resumePoint
                    let advanced = point != nil && point != open.lastResumePoint
                    open.lastResumePoint = point
                    let path = open.file.relativePath
                    state.files[path]?.records = open.count
                    state.files[path]?.offset = advanced ? point?.offset : nil
                    state.files[path]?.line = advanced ? point?.line : nil
                    return convert(item, file: open.file, charset: open.charset)
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
        if let p = previous, p.done, p.matches(status), !input.settings.confirmUnchangedByHash {
            skippedUnchanged += 1
            return nil
        }
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
        let settings = ReaderSettings(path: path, maxRecordBytes: limits.maxRecordBytes, maxDepth: limits.maxDepth,
                                      stripNUL: input.settings.nul == .strip,
                                      fileBytes: FileFormat.isGzip(fileName: file.url.lastPathComponent) ? nil : raw.status.size)
        let made = makeReader(file, raw: raw, settings: settings)
        let reader: any FormatReader
        let charset: String?
        switch made {
        case .failed(let item):
            // The content, not the disk, is at fault (an unknown extension, a damaged gzip header):
            // the file counts as read, so an unchanged file is not quarantined again next run.
            markDone(raw, path: path)
            return convert(item, file: file)
        case .reader(let r, let c):
            reader = r
            charset = c
        }
        var count = 0
        if let resume, resume.records > 0 {
            if let offset = resume.offset, let line = resume.line, seek(reader, to: ResumePoint(offset: offset, line: line), records: resume.records) {
                count = resume.records
            } else {
                while count < resume.records, reader.next() != nil { count += 1 }
            }
        }
        let open = OpenFile(file: file, raw: raw, reader: reader, count: count, charset: charset)
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

    private func finish(_ open: OpenFile) {
        markDone(open.raw, path: open.file.relativePath)
        let n = open.reader.strippedNULs
        if n > 0 {
            queued.append(.notice(SourceNotice(code: "nul_stripped", message: "input '\(input.instanceName)': removed \(n) NUL byte\(n == 1 ? "" : "s") "
                                               + "from \(open.file.relativePath) (nul: strip)", count: n)))
        }
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

    private func convert(_ item: ReadItem, file: MatchedFile, charset: String? = nil) -> SourceItem {
        let provenance = Provenance(input: input.instanceName, uri: file.relativePath, locator: item.locator,
                                    sha256: item.rawSHA256 ?? ContentHash.sha256Hex(item.raw), charset: charset)
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


extension RecordFailure.Code {
    /// `format: auto` met a file whose extension it does not know, or XML without a record element.
    public static let unsupportedFormat = RecordFailure.Code("unsupported_format")
}
