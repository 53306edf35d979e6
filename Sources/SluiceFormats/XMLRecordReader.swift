import CLibXML2
import SluiceCore
import SluiceJSON

/// XML: each `record_element` element is one record, read with libxml2's streaming reader
/// (`xmlReaderForIO` over our byte stream), so memory holds one record, never the document.
///
/// Safety: no network (`XML_PARSE_NONET`), no entity substitution, no DTD loading, and entity
/// declarations refused before the parser sees them (`XMLPrologGuard`): `forbidden_xml`. A
/// reference to an undeclared entity (allowed with an external DTD) quarantines its element as
/// `forbidden_xml` too: the text it stands for is unknown.
/// A syntax error quarantines the rest of the file as `malformed` with libxml2's message, line and
/// byte, in one entry naming the element it is in and the byte range not read (`RestOfFile`). Every record that ended before the error is
/// kept: libxml2's reader parses ahead of what it hands out and stops at a chunk with an error, so
/// the records it parsed but did not hand out are read from its tree (`XMLPendingTree`). A second
/// root element after a complete first one is such an error: the first root's records are kept.
/// libxml2's own limits (depth 256, text nodes of 10 MB) are lifted (`XML_PARSE_HUGE`) and ours
/// apply instead, with their own reasons: `max_depth` for the document's nesting (`too_deep`) and
/// `max_record_bytes` for a record and for any run of text without markup (`record_too_large`). The
/// encoding comes from the BOM or the XML declaration, as XML says, unless `XMLEncodingChoice`
/// overrides it (a pinned encoding, a declaration the bytes contradict, or a document without one
/// that is not UTF-8); bytes that do not fit it are `undecodable_text`. A NUL byte is `nul_byte`.
final class XMLRecordReader: FormatReader {
    private let stream: any ByteStream
    private let settings: ReaderSettings
    private let recordElement: String
    /// The encoding libxml2 must use instead of the document's own (an iconv name), or nil.
    private let encoding: String?
    /// Why the document is read in the encoding it is, added to decoding failures.
    private let encodingNote: String?
    private var reader: xmlTextReaderPtr?
    private var prologGuard = XMLPrologGuard()
    private var streamFailure: StreamFailure?
    private var forbidden: String?
    private var nulOffset: Int?
    /// A NUL found in the bytes after those already given to the parser: the next read stops.
    private var nulAhead: Int?
    /// Bytes since the last `<`: a text run over `max_record_bytes` stops the parser.
    private var textRun = 0
    private var textTooLong: Int?
    private var bytesFed = 0
    /// The error that stopped the parser: the first fatal one, else the first error (an error that
    /// is not fatal, such as an undeclared entity in a document with an external DTD, lets the
    /// parser go on, and a fatal one after it replaces it).
    fileprivate var firstError: (message: String, line: Int, code: Int32, fatal: Bool)?
    /// The elements still open when the first error was raised, and the byte it was raised at.
    fileprivate var errorOpen: Set<xmlNodePtr>?
    fileprivate var errorByte: Int?
    private var index = 0
    private var sawRoot = false
    private var finished = false
    /// Records read from the tree after the parser stopped, then the entry for the rest.
    private var pending: [ReadItem] = []
    /// The document taken from the reader to read the records it parsed ahead (freed with it).
    private var ownedDocument: xmlDocPtr?
    let resumePoint: ResumePoint? = nil
    private(set) var strippedNULs = 0

    init(stream: any ByteStream, settings: ReaderSettings, recordElement: String, encoding: String? = nil, encodingNote: String? = nil) {
        self.stream = stream
        self.settings = settings
        self.recordElement = recordElement
        self.encoding = encoding
        self.encodingNote = encodingNote
    }

    deinit {
        if let reader { xmlFreeTextReader(reader) }
        if let ownedDocument { xmlFreeDoc(ownedDocument) }
    }

    fileprivate func feed(_ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32 {
        if let nulAhead {
            nulOffset = nulAhead
            self.nulAhead = nil
        }
        if streamFailure != nil || forbidden != nil || nulOffset != nil || textTooLong != nil { return -1 }
        let target = UnsafeMutableRawBufferPointer(start: buffer, count: length)
        var n: Int
        do throws(StreamFailure) { n = try stream.read(into: target) } catch {
            streamFailure = error
            return -1
        }
        if n > 0, settings.stripNUL, !prologGuard.wide, let base = target.baseAddress {
            var kept = 0
            for i in 0..<n where target[i] != 0 {
                base.storeBytes(of: target[i], toByteOffset: kept, as: UInt8.self)
                kept += 1
            }
            strippedNULs += n - kept
            n = kept
            if n == 0 { return feed(buffer, length) }
        }
        let chunk = UnsafeRawBufferPointer(rebasing: target[..<n])
        if let reason = prologGuard.scan(chunk) {
            forbidden = reason
            return -1
        }
        if !prologGuard.wide, let zero = chunk.firstIndex(of: 0) {
            // The bytes before the NUL go to the parser (the records in them are kept); the next read stops.
            if zero == 0 {
                nulOffset = bytesFed
                return -1
            }
            nulAhead = bytesFed + zero
            n = zero
        }
        if let lastTag = UnsafeRawBufferPointer(rebasing: chunk[..<n]).lastIndex(of: UInt8(ascii: "<")) {
            textRun = n - lastTag - 1
        } else {
            textRun += n
        }
        if textRun > settings.maxRecordBytes {
            textTooLong = bytesFed + n - textRun
            return -1
        }
        bytesFed += n
        return Int32(n)
    }

    private func open() -> Bool {
        LibXML.ensureInitialised()
        let context = Unmanaged.passUnretained(self).toOpaque()
        // XML_PARSE_HUGE lifts libxml2's limits (depth 256, 10 MB text nodes) so that max_depth and
        // max_record_bytes, checked here, fire first with their own reasons.
        var flags = [XML_PARSE_NONET.rawValue, XML_PARSE_NOCDATA.rawValue, XML_PARSE_COMPACT.rawValue, XML_PARSE_HUGE.rawValue]
        // An encoding given to the reader must win over the declaration, which libxml2 would
        // otherwise switch to when it meets it.
        if encoding != nil { flags.append(XML_PARSE_IGNORE_ENC.rawValue) }
        let options = LibXML.options(flags)
        guard let r = xmlReaderForIO(xmlReadCallback, xmlCloseCallback, context, nil, encoding, options) else { return false }
        xmlTextReaderSetParserProp(r, Int32(XML_PARSER_SUBST_ENTITIES.rawValue), 0)
        xmlTextReaderSetParserProp(r, Int32(XML_PARSER_LOADDTD.rawValue), 0)
        xmlTextReaderSetParserProp(r, Int32(XML_PARSER_DEFAULTATTRS.rawValue), 0)
        xmlTextReaderSetParserProp(r, Int32(XML_PARSER_VALIDATE.rawValue), 0)
        xmlTextReaderSetStructuredErrorHandler(r, xmlErrorCallback, context)
        reader = r
        return true
    }

    func next() -> ReadItem? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard !finished else { return nil }
        if reader == nil && !open() {
            finished = true
            return failure(.malformed, "libxml2 could not start reading", line: 1)
        }
        guard let reader else { return nil }
        while true {
            let rc = xmlTextReaderRead(reader)
            if rc == 0 {
                finished = true
                if !sawRoot && streamFailure == nil {
                    return bytesFed == 0 ? failure(.empty, "the file is empty", line: 1) : failure(.malformed, "the document has no root element", line: 1)
                }
                return nil
            }
            if rc < 0 {
                finished = true
                return recoverAfterStop(reader, partial: nil)
            }
            let type = xmlTextReaderNodeType(reader)
            mark(reader, type: type)
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue) else { continue }
            sawRoot = true
            if xmlTextReaderDepth(reader) >= settings.maxDepth {
                finished = true
                let line = Int(xmlTextReaderGetParserLineNumber(reader))
                let rest = RestOfFile(line: line, fileBytes: settings.fileBytes)
                return failure(.tooDeep, "the document nests deeper than max_depth (\(settings.maxDepth)) at line \(line), outside any <\(recordElement)>; "
                               + "\(rest)", line: line, index: index)
            }
            let name = LibXML.string(xmlTextReaderConstName(reader)) ?? ""
            let local = LibXML.string(xmlTextReaderConstLocalName(reader)) ?? ""
            if name == recordElement || (!recordElement.contains(":") && local == recordElement) {
                return readRecord(reader)
            }
        }
    }

    private func readRecord(_ reader: xmlTextReaderPtr) -> ReadItem {
        let recordIndex = index
        index += 1
        let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
        var builder = XMLElementBuilder(maxDepth: settings.maxDepth, maxBytes: settings.maxRecordBytes)
        let startDepth = xmlTextReaderDepth(reader)
        startElement(reader, into: &builder)
        while !builder.isComplete {
            let rc = xmlTextReaderRead(reader)
            if rc < 0 {
                finished = true
                return recoverAfterStop(reader, partial: (builder, recordIndex, line))
            }
            if rc == 0 {
                finished = true
                return failureFromParser(partial: builder, index: recordIndex, line: line)
            }
            let type = xmlTextReaderNodeType(reader)
            mark(reader, type: type)
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                startElement(reader, into: &builder)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                builder.end(LibXML.string(xmlTextReaderConstName(reader)) ?? "")
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                builder.text(LibXML.string(xmlTextReaderConstValue(reader)) ?? "")
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                // Only an undeclared entity gets here: declarations are refused, the predefined
                // entities and character references are replaced by the parser.
                builder.unresolvedEntity(LibXML.string(xmlTextReaderConstName(reader)) ?? "")
            default:
                break
            }
            if xmlTextReaderDepth(reader) < startDepth { break }
        }
        return item(builder, index: recordIndex, line: line)
    }

    /// The item for a complete record element.
    private func item(_ builder: XMLElementBuilder, index recordIndex: Int, line: Int) -> ReadItem {
        let locator = Locator(line: line, index: recordIndex)
        let id = "\(settings.path)#\(recordIndex)"
        if let (code, message) = builder.problem {
            let text = code == .tooLarge
                ? "element \(recordIndex) (<\(recordElement)> at line \(line)) has more than \(settings.maxRecordBytes) bytes (max_record_bytes)"
                : "element \(recordIndex) (<\(recordElement)> at line \(line)): \(message)"
            return .failure(code, text, raw: builder.raw, rawTotal: builder.rawTotal, sha256: builder.rawSHA256, locator: locator, id: id)
        }
        return ReadItem(content: .value(builder.result ?? .object(JSONObject())), raw: builder.raw, rawTotal: builder.rawTotal,
                        rawSHA256: builder.rawSHA256, locator: locator, derivedID: id)
    }

    private func startElement(_ reader: xmlTextReaderPtr, into builder: inout XMLElementBuilder) {
        let name = LibXML.string(xmlTextReaderConstName(reader)) ?? ""
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        var attributes: [(String, String)] = []
        if xmlTextReaderHasAttributes(reader) == 1 {
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
                attributes.append((LibXML.string(xmlTextReaderConstName(reader)) ?? "", LibXML.string(xmlTextReaderConstValue(reader)) ?? ""))
            }
            xmlTextReaderMoveToElement(reader)
        }
        builder.start(name, attributes: attributes)
        if empty { builder.end(name) }
    }

    /// Notes in the node what was handed out: an element's start (its end still to come), or all of it.
    private func mark(_ reader: xmlTextReaderPtr, type: Int32) {
        guard let node = xmlTextReaderCurrentNode(reader) else { return }
        let opened = type == Int32(XML_READER_TYPE_ELEMENT.rawValue) && xmlTextReaderIsEmptyElement(reader) != 1
        node.pointee._private = opened ? XMLNodeMark.started : XMLNodeMark.done
    }

    /// After the reader stopped: the records complete in libxml2's tree that it had not handed out
    /// (finishing `partial`, the record being read), then one entry for the rest of the file.
    private func recoverAfterStop(_ reader: xmlTextReaderPtr, partial: (builder: XMLElementBuilder, index: Int, line: Int)?) -> ReadItem {
        var current = partial
        if let document = xmlTextReaderCurrentDoc(reader) {
            ownedDocument = document
            var walk = XMLPendingTree(document: document, open: errorOpen)
            while let event = walk.next() {
                switch event {
                case .start(let node):
                    let name = LibXML.qualifiedName(node.pointee.name, ns: node.pointee.ns)
                    if current != nil {
                        current?.builder.start(name, attributes: LibXML.qualifiedAttributes(node))
                    } else if name == recordElement || (!recordElement.contains(":") && LibXML.name(node) == recordElement) {
                        var builder = XMLElementBuilder(maxDepth: settings.maxDepth, maxBytes: settings.maxRecordBytes)
                        builder.start(name, attributes: LibXML.qualifiedAttributes(node))
                        current = (builder, index, Int(xmlGetLineNo(node)))
                        index += 1
                    }
                case .text(let text):
                    current?.builder.text(text)
                case .entity(let name):
                    current?.builder.unresolvedEntity(name)
                case .end(let node):
                    current?.builder.end(LibXML.qualifiedName(node.pointee.name, ns: node.pointee.ns))
                }
                if let done = current, done.builder.isComplete {
                    pending.append(item(done.builder, index: done.index, line: done.line))
                    current = nil
                }
            }
        }
        pending.append(failureFromParser(partial: current?.builder, index: current?.index, line: current?.line))
        return pending.removeFirst()
    }

    private func failure(_ code: RecordFailure.Code, _ message: String, line: Int, byte: Int? = nil, raw: [UInt8] = [],
                         index: Int? = nil) -> ReadItem {
        let id = index.map { "\(settings.path)#\($0)" } ?? settings.path
        return .failure(code, message, raw: raw, locator: Locator(line: line, byteOffset: byte, index: index), id: id)
    }

    /// The item for a reader that stopped: our own reasons first (they explain libxml2's error).
    /// It covers the record being read (`partial`) and the rest of the file, from the byte where
    /// reading stopped (its locator's byte offset) to the end.
    private func failureFromParser(partial: XMLElementBuilder?, index: Int? = nil, line: Int? = nil) -> ReadItem {
        let raw = partial?.raw ?? []
        let at = firstError?.line ?? line ?? 1
        let inRecord = index.map { " inside element \($0) (<\(recordElement)> from line \(line ?? at))" } ?? ""
        let fileBytes = settings.fileBytes
        func stop(_ code: RecordFailure.Code, _ message: String, from byte: Int, record: Int? = nil) -> ReadItem {
            failure(code, "\(message); \(RestOfFile(from: byte, fileBytes: fileBytes))", line: at, byte: byte, raw: raw, index: record ?? index)
        }
        if let forbidden { return stop(.forbiddenXML, forbidden, from: 0) }
        if let nulOffset { return stop(.nulByte, "a NUL byte at byte \(nulOffset)\(inRecord): XML may not contain NUL", from: nulOffset) }
        if let streamFailure { return stop(streamFailure.code, "reading stopped\(inRecord): \(streamFailure.message)", from: bytesFed) }
        if let textTooLong {
            return stop(.tooLarge, "a run of text without markup from byte \(textTooLong)\(inRecord) is longer than max_record_bytes "
                        + "(\(settings.maxRecordBytes))", from: textTooLong)
        }
        if bytesFed == 0 { return failure(.empty, "the file is empty", line: 1) }
        let message = firstError?.message ?? "libxml2 stopped without a message"
        let from = errorByte ?? bytesFed
        if firstError?.code == Int32(XML_ERR_DOCUMENT_END.rawValue) && partial == nil {
            return stop(.malformed, "content after the end of the root element (a second root?) at line \(at) (byte \(from)): \(message); "
                        + "the records of the first root are kept", from: from, record: index ?? self.index)
        }
        let encodingProblem = message.contains("UTF-8") || message.contains("encoding") || message.contains("Encoding")
        let what = encodingProblem ? "the bytes do not fit the document's encoding" : "the XML is not well-formed"
        let why = encodingProblem ? encodingNote.map { " (\($0))" } ?? "" : ""
        return stop(encodingProblem ? .undecodableText : .malformed, "\(what)\(why) at line \(at) (byte \(from))\(inRecord): \(message)", from: from)
    }
}

private let xmlReadCallback: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer, length > 0 else { return -1 }
    return Unmanaged<XMLRecordReader>.fromOpaque(context).takeUnretainedValue().feed(buffer, Int(length))
}

private let xmlCloseCallback: xmlInputCloseCallback = { _ in 0 }

private let xmlErrorCallback: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let reader = Unmanaged<XMLRecordReader>.fromOpaque(context).takeUnretainedValue()
    let fatal = error.pointee.level == XML_ERR_FATAL
    guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, reader.firstError == nil || (fatal && reader.firstError?.fatal == false) else { return }
    let message = error.pointee.message.map { String(cString: $0) }?.trimmingSpaces() ?? "unknown error"
    reader.firstError = (message, Int(error.pointee.line), error.pointee.code, fatal)
    // Which elements were open when the parser stopped: their records are not complete.
    if error.pointee.domain == Int32(XML_FROM_PARSER.rawValue) || error.pointee.domain == Int32(XML_FROM_NAMESPACE.rawValue),
       let raw = error.pointee.ctxt {
        let ctxt = raw.assumingMemoryBound(to: xmlParserCtxt.self)
        var open = Set<xmlNodePtr>()
        var node = ctxt.pointee.node
        while let n = node, n.pointee.type == XML_ELEMENT_NODE {
            open.insert(n)
            node = n.pointee.parent
        }
        reader.errorOpen = open
        reader.errorByte = Int(xmlByteConsumed(ctxt))
    }
}
