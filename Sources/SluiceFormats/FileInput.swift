import Foundation
public import SluiceCore
public import SluiceJSON
public import SluiceCharset

/// The `file` input: records from files matched by glob patterns (see `descriptor` for the
/// formats, ids, provenance, what is quarantined and how runs resume).
public struct FileInput: Input, PreflightCheckable {
    /// The options as read and checked from the pipeline.
    public struct Settings: Sendable {
        public var patterns: [String]
        /// Nil: `auto`.
        var format: FileFormat?
        public var idPointer: JSONPointer?
        var csv: CSVOptions
        var csvDelimiterSet: Bool
        public var textHeaderFields: Bool
        public var htmlContentElement: String?
        public var xmlRecordElement: String?
        public var maxRecordBytes: Int?
        public var maxDecompressedBytes: Int?
        /// The encoding pinned with `encoding:`; nil: `auto` (byte order mark, declaration, detection).
        public var encoding: TextCharset?
        /// `nul:` what a NUL byte in text does (quarantine its record, or be removed).
        public var nul: NULPolicy = .quarantine
        /// `unchanged: sha256`: a file whose size and modification time match is still read and
        /// hashed before it is skipped. Not part of the reading fingerprint.
        public var confirmUnchangedByHash = false
        /// The format name as written (`auto`, `jsonl`, ...).
        public var formatName: String { format?.rawValue ?? "auto" }
    }

    public let settings: Settings
    let instanceName: String
    let baseDirectory: URL
    private let pathsNode: ConfigNode?

    public init(options: ComponentOptions, context: BuildContext) throws {
        instanceName = context.instanceName
        baseDirectory = context.baseDirectory
        pathsNode = options.location("paths")
        guard let patterns = try options.strings("paths"), !patterns.isEmpty else {
            throw ConfigDiagnostic.error("missing_option", "option 'paths' is required: list the files to read, e.g. 'samples/**/*.jsonl'",
                                         at: options.node, path: options.node.path + "/paths")
        }
        if let empty = patterns.first(where: { $0.trimmingSpaces().isEmpty }) {
            throw ConfigDiagnostic.error("invalid_option", "option 'paths' holds an empty pattern ('\(empty)')", at: options.location("paths"))
        }
        let formatName = try options.stringValue("format")
        var format: FileFormat?
        if formatName != "auto" {
            guard let f = FileFormat(rawValue: formatName) else {
                throw ConfigDiagnostic.error("invalid_option", "option 'format' must be auto or one of "
                    + FileFormat.allCases.map(\.rawValue).joined(separator: ", ") + ", not '\(formatName)'", at: options.location("format"))
            }
            format = f
        }
        let csvOptions = options.nested("csv")
        var csv = CSVOptions()
        csv.delimiter = try Self.singleByte(csvOptions, "delimiter")
        csv.quote = try Self.singleByte(csvOptions, "quote")
        csv.header = try csvOptions.boolValue("header")
        if csv.delimiter == csv.quote {
            throw ConfigDiagnostic.error("invalid_option", "csv.delimiter and csv.quote must differ", at: csvOptions.location("quote"))
        }
        let encodingName = try options.stringValue("encoding")
        var encoding: TextCharset?
        if encodingName != "auto" {
            guard let e = TextCharset(rawValue: encodingName) ?? TextCharset(label: encodingName) else {
                throw ConfigDiagnostic.error("invalid_option", "option 'encoding' must be auto or one of "
                    + TextCharset.allCases.map(\.name).joined(separator: ", ") + ", not '\(encodingName)'", at: options.location("encoding"))
            }
            encoding = e
        }
        if let encoding, encoding != .utf8, let format, format == .json || format == .jsonl {
            throw ConfigDiagnostic.error("invalid_option", "format '\(format.rawValue)' is always UTF-8 (RFC 8259; UTF-16/32 with a byte order mark "
                + "are decoded), so 'encoding: \(encoding.name)' cannot apply; remove it", at: options.location("encoding"))
        }
        let recordElement = try options.nested("xml").string("record_element")?.trimmingSpaces()
        if format == .xml, recordElement?.isEmpty ?? true {
            throw ConfigDiagnostic.error("missing_option", "format 'xml' needs 'xml.record_element': the element each record is (e.g. item)",
                                         at: options.node, path: options.node.path + "/xml/record_element")
        }
        var settings = Settings(
            patterns: patterns, format: format, idPointer: try options.pointer("id"), csv: csv,
            csvDelimiterSet: csvOptions.isSet("delimiter"),
            textHeaderFields: try options.nested("text").boolValue("header_fields"),
            htmlContentElement: try options.nested("html").string("content_element").flatMap { $0.isEmpty ? nil : $0 },
            xmlRecordElement: recordElement.flatMap { $0.isEmpty ? nil : $0 },
            maxRecordBytes: try options.int("max_record_bytes"),
            maxDecompressedBytes: try options.int("max_decompressed_bytes"), encoding: encoding)
        settings.confirmUnchangedByHash = try options.stringValue("unchanged") == "sha256"
        let nulName = try options.stringValue("nul")
        guard let nul = NULPolicy(rawValue: nulName) else {
            throw ConfigDiagnostic.error("invalid_option", "option 'nul' must be quarantine or strip, not '\(nulName)'", at: options.location("nul"))
        }
        settings.nul = nul
        self.settings = settings
    }

    private static func singleByte(_ options: ComponentOptions, _ name: String) throws -> UInt8 {
        let text = try options.stringValue(name)
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 1, let only = scalars.first, only.isASCII, only != "\n", only != "\r" else {
            throw ConfigDiagnostic.error("invalid_option", "csv.\(name) must be one ASCII character other than a line break, not '\(text)'",
                                         at: options.location(name))
        }
        return UInt8(only.value)
    }

    public func open(checkpoint: Checkpoint?, context: RunContext) throws -> any RecordSource {
        let files = try matchedFiles()
        var limits = context.limits
        if let m = settings.maxRecordBytes { limits.maxRecordBytes = m }
        if let m = settings.maxDecompressedBytes { limits.maxDecompressedBytes = m }
        let fingerprint = readingFingerprint(limits)
        return FileRecordSource(input: self, files: files, limits: limits, time: context.time,
                                checkpoint: FileCheckpoint(checkpoint, fingerprint: fingerprint))
    }

    /// What decides how a file's bytes become records: when it changes (another format, id field,
    /// record element, limit, a pinned encoding), files read before are read again. `paths` is not part of it, so
    /// adding a pattern does not re-read what was already read.
    func readingFingerprint(_ limits: Limits) -> String {
        let s = settings
        let parts: [String] = [
            "format=\(s.formatName)", "id=\(s.idPointer?.description ?? "")",
            "csv=\(s.csv.delimiter),\(s.csv.quote),\(s.csv.header),\(s.csvDelimiterSet)", "text=\(s.textHeaderFields)",
            "html=\(s.htmlContentElement ?? "")", "xml=\(s.xmlRecordElement ?? "")",
            "max_record_bytes=\(limits.maxRecordBytes)", "max_depth=\(limits.maxDepth)",
            "max_decompressed_bytes=\(limits.maxDecompressedBytes)",
        ] + (s.encoding.map { ["encoding=\($0.name)"] } ?? []) + (s.nul == .strip ? ["nul=strip"] : [])
        return String(ContentHash.sha256Hex(parts.joined(separator: "\n")).prefix(16))
    }

    /// Expands every pattern; throws `inputMissing` for one that matches nothing.
    func matchedFiles() throws -> [MatchedFile] {
        var seen = Set<String>()
        var files: [MatchedFile] = []
        for pattern in settings.patterns {
            let glob = GlobPattern(pattern)
            let urls = glob.expand(base: baseDirectory)
            guard !urls.isEmpty else { throw SluiceError(.inputMissing, missingMessage(glob)) }
            for url in urls where seen.insert(url.path).inserted {
                files.append(MatchedFile(url: url, relativePath: relativePath(url)))
            }
        }
        return files.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
    }

    public func preflight() -> [ConfigDiagnostic] {
        settings.patterns.compactMap { pattern in
            let glob = GlobPattern(pattern)
            guard glob.expand(base: baseDirectory).isEmpty else { return nil }
            return ConfigDiagnostic(glob.hasWildcards ? .warning : .error, code: glob.hasWildcards ? "no_match" : "input_missing",
                                    message: missingMessage(glob), location: pathsNode?.location, path: pathsNode?.path ?? "/paths")
        }
    }

    private func missingMessage(_ glob: GlobPattern) -> String {
        let base = baseDirectory.standardizedFileURL.path
        if glob.hasWildcards { return "input '\(instanceName)': no file matches '\(glob.text)' (looked in \(base))" }
        return "input '\(instanceName)': '\(glob.text)' does not exist (looked in \(base))"
    }

    /// The path relative to the base folder, or absolute when outside it.
    func relativePath(_ url: URL) -> String {
        let base = baseDirectory.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

struct MatchedFile: Equatable {
    var url: URL
    var relativePath: String
}

extension ComponentOptions {
    /// The nested options of an object field, empty when not written.
    func nested(_ name: String) -> ComponentOptions {
        if let sub = object(name) { return sub }
        guard case .object(let fields)? = fields.first(where: { $0.name == name })?.type else {
            return ComponentOptions(node: ConfigNode(.mapping([])), fields: [])
        }
        return ComponentOptions(node: ConfigNode(.mapping([]), path: node.path + "/" + name), fields: fields)
    }
}
