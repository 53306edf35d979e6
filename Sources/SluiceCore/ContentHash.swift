import Crypto
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

    /// Lowercase hex of `digest`; written straight into the string's storage (ids and audit
    /// hashes are made by the million).
    public static func hex<S: Sequence>(_ digest: S) -> String where S.Element == UInt8 {
        let bytes = Array(digest)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = nibble(b >> 4)
                out[2 * i + 1] = nibble(b & 0xF)
            }
            return bytes.count * 2
        }
    }

    @inline(__always) private static func nibble(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") - 10 + v
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
