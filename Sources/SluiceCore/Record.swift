public import Foundation
public import SluiceJSON

/// One document flowing through a pipeline.
///
/// `value` is a JSON object holding the document's fields; stages read and change fields by JSON
/// Pointer. `id` is stable across runs: taken from a configured field, else derived from the input
/// and the position in it.
public struct Record: Sendable, Hashable {
    public var id: String
    public var value: JSONValue
    public var provenance: Provenance
    /// The record this one was derived from (a chunk's document).
    public var parent: String?
    /// What the record is to the stages that made it (`%kind` in mappings, so outputs can select).
    public var kind: RecordKind

    /// `kind` defaults to `.chunk` for a record with a parent, else `.record`.
    public init(id: String, value: JSONValue, provenance: Provenance, parent: String? = nil, kind: RecordKind? = nil) {
        self.id = id
        self.value = value
        self.provenance = provenance
        self.parent = parent
        self.kind = kind ?? (parent == nil ? .record : .chunk)
    }
}

/// What a record is: one read by an input (`record`), a document kept beside the records a stage
/// derived from it (`document`: `chunk` with `keep_document`), or a derived record (`chunk`).
/// A struct, not an enum, so that stages outside this project can name kinds of their own.
public struct RecordKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let record = RecordKind(rawValue: "record")
    public static let document = RecordKind(rawValue: "document")
    public static let chunk = RecordKind(rawValue: "chunk")

    public var description: String { rawValue }
}

/// Where a record came from: enough to find its original bytes again.
public struct Provenance: Sendable, Hashable, Codable {
    /// The pipeline input's name.
    public var input: String
    /// The file path (relative to the pipeline's base folder where possible) or URL.
    public var uri: String
    /// Where inside `uri` the record starts.
    public var locator: Locator
    /// SHA-256 (lowercase hex) of the record's raw bytes as read.
    public var sha256: String
    /// When the bytes were fetched (HTTP inputs); nil for files.
    public var fetchedAt: Date?
    /// The name of the credential that fetched the bytes, never its secret.
    public var credential: String?
    /// The charset the bytes were decoded with (`utf-8`, `windows-1252`, `shift_jis`: Sluice's
    /// lowercase names), when the input knows it; nil otherwise.
    public var charset: String?

    public init(input: String, uri: String, locator: Locator, sha256: String, fetchedAt: Date? = nil, credential: String? = nil,
                charset: String? = nil) {
        self.input = input
        self.uri = uri
        self.locator = locator
        self.sha256 = sha256
        self.fetchedAt = fetchedAt
        self.credential = credential
        self.charset = charset
    }
}

/// A position inside a source: any combination of line, byte offset, element index or page.
public struct Locator: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based line where the record starts (line formats and CSV).
    public var line: Int?
    /// 0-based byte offset of the record's first byte in the (decompressed) source.
    public var byteOffset: Int?
    /// 0-based index of the record among the source's records (JSON array items, XML elements, rows).
    public var index: Int?
    /// API page number (1-based) for HTTP inputs.
    public var page: Int?

    public init(line: Int? = nil, byteOffset: Int? = nil, index: Int? = nil, page: Int? = nil) {
        self.line = line
        self.byteOffset = byteOffset
        self.index = index
        self.page = page
    }

    /// `line 3, byte 120`, `item 4`, `page 2, item 7`; `whole file` when nothing is set.
    public var description: String {
        var parts: [String] = []
        if let page { parts.append("page \(page)") }
        if let line { parts.append("line \(line)") }
        if let index { parts.append("item \(index)") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        return parts.isEmpty ? "whole file" : parts.joined(separator: ", ")
    }
}
