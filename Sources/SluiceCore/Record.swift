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

    public init(id: String, value: JSONValue, provenance: Provenance, parent: String? = nil) {
        self.id = id
        self.value = value
        self.provenance = provenance
        self.parent = parent
    }
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

    public init(input: String, uri: String, locator: Locator, sha256: String, fetchedAt: Date? = nil, credential: String? = nil) {
        self.input = input
        self.uri = uri
        self.locator = locator
        self.sha256 = sha256
        self.fetchedAt = fetchedAt
        self.credential = credential
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
