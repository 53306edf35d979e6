public import Crypto
public import Foundation

/// SHA-256 helpers used for provenance, content keys and stable ids.
public enum ContentHash {
    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex<D: DataProtocol>(_ bytes: D) -> String {
        hex(SHA256.hash(data: bytes))
    }

    public static func sha256Hex(_ string: String) -> String {
        var s = string
        return s.withUTF8 { sha256Hex(UnsafeRawBufferPointer($0)) }
    }

    public static func hex<S: Sequence>(_ digest: S) -> String where S.Element == UInt8 {
        let table: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Incremental SHA-256 for streams (a file hashed while it is read).
public struct StreamingSHA256 {
    private var hasher = SHA256()
    public init() {}
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
    public func finalizeHex() -> String { ContentHash.hex(hasher.finalize()) }
}
