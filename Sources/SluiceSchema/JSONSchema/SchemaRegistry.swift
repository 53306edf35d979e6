public import Foundation
public import SluiceJSON

/// The schemas `$ref` can reach besides the one being compiled: documents registered by URI and
/// local folders served under a base URI (`DIR=BASEURL`). Nothing is ever fetched over the
/// network; the official metaschemas are always available (embedded).
public struct SchemaRegistry: Sendable {
    var documents: [String: JSONValue] = [:]
    var folders: [(baseURI: String, directory: URL)] = []

    public init() {}

    /// Registers `document` under `uri` (its retrieval URI; a `$id` inside takes precedence for
    /// its own resolution).
    public mutating func register(_ document: JSONValue, uri: String) {
        documents[URIReference(uri).withoutFragment.description] = document
    }

    /// Serves the files under `directory` as `baseURI` + their relative path, read when first
    /// referenced: `registerFolder(remotes, baseURI: "http://localhost:1234/")`.
    public mutating func registerFolder(_ directory: URL, baseURI: String) {
        folders.append((baseURI, directory.standardizedFileURL))
    }

    /// Parses a `DIR=BASEURL` mapping, resolving DIR against `relativeTo`.
    public mutating func registerMapping(_ mapping: String, relativeTo base: URL? = nil) throws(SchemaError) {
        guard let eq = mapping.firstIndex(of: "="), eq != mapping.startIndex else {
            throw SchemaError(message: "a remote mapping is written DIR=BASEURL, not '\(mapping)'", location: "")
        }
        let dir = String(mapping[..<eq]), uri = String(mapping[mapping.index(after: eq)...])
        guard URIReference(uri).isAbsolute else {
            throw SchemaError(message: "the base URL of remote mapping '\(mapping)' must be absolute", location: "")
        }
        var url = URL(fileURLWithPath: dir)
        if !dir.hasPrefix("/"), let base { url = base.appendingPathComponent(dir) }
        registerFolder(url, baseURI: uri)
    }

    /// The document registered for `uri` (without fragment), reading mapped folders; nil when
    /// nothing provides it.
    func document(for uri: String) throws(SchemaError) -> JSONValue? {
        if let d = documents[uri] { return d }
        if let text = EmbeddedMetaschemas.text(for: uri) {
            do { return try JSONParser.parse(text) } catch {
                throw SchemaError(message: "embedded metaschema \(uri) does not parse: \(error)", location: uri)
            }
        }
        for (base, directory) in folders where uri.hasPrefix(base) {
            let relative = String(uri.dropFirst(base.count))
            guard let decoded = percentDecoded(relative) else { continue }
            let file = directory.appendingPathComponent(decoded).standardizedFileURL
            // Never leave the mapped folder (`../` in a reference).
            guard file.path.hasPrefix(directory.path + "/") else { continue }
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            do {
                return try JSONParser.parse([UInt8](data))
            } catch {
                throw SchemaError(message: "\(file.path) is not valid JSON: \(error)", location: uri)
            }
        }
        return nil
    }
}

/// A schema that cannot be compiled: bad keyword values, unresolvable references, invalid
/// regular expressions.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Where in the schema: an absolute URI with a JSON Pointer fragment, or empty.
    public var location: String

    public init(message: String, location: String) {
        self.message = message
        self.location = location
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
