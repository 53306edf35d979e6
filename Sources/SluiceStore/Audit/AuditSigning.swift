import Crypto
public import Foundation
import SluiceCore

/// The Ed25519 half of the audit key: seals, run digests (format 2), heads, exports and archives
/// are signed with a private key derived from the secret audit key; anyone holding only the
/// public key can check them, and nobody can forge them with it.
///
/// Derivation (documented in docs/compliance.md): the Ed25519 seed is
/// `SHA-256("sluice-audit-ed25519/1" || secret key bytes)`. An existing audit key file therefore
/// keeps working unchanged; credential fingerprints (HMAC of the name) do not change.
extension AuditKey {
    static let seedLabel = Array("sluice-audit-ed25519/1".utf8)

    /// The public key matching this secret key.
    public var publicKey: AuditPublicKey { AuditPublicKey(raw: publicKeyBytes) }

    /// Lowercase hex Ed25519 signature (128 characters) of `bytes`.
    public func signEd25519(_ bytes: [UInt8]) throws -> String {
        do {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            return ContentHash.hex(Array(try key.signature(for: bytes)))
        } catch {
            throw SluiceError(.internalError, "cannot sign with the audit key", cause: error)
        }
    }

    static func derivedSeed(_ secret: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: seedLabel)
        h.update(data: secret)
        return Array(h.finalize())
    }

    static func derivedPublicKey(seed: [UInt8]) -> [UInt8] {
        // A 32-byte seed is always a valid Ed25519 private key.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)).map { Array($0.publicKey.rawRepresentation) } ?? []
    }
}

/// An Ed25519 public key: what an auditor needs to check seals, digests, heads, exports and
/// archives without being able to sign any.
///
/// File format: one line `sluice-audit-public-key ed25519 <64 hex>` (written by
/// `sluice audit public-key`); a bare 64-hex line is accepted too.
public struct AuditPublicKey: Sendable, Hashable {
    public let raw: [UInt8]

    public init(raw: [UInt8]) { self.raw = raw }

    public static let filePrefix = "sluice-audit-public-key ed25519 "

    /// The first 16 hex characters of the SHA-256 of the raw key: names the key in seals and digests.
    public var keyID: String { String(ContentHash.sha256Hex(raw).prefix(16)) }

    public var hex: String { ContentHash.hex(raw) }

    /// The file text.
    public var fileText: String { Self.filePrefix + hex + "\n" }

    /// Parses the file text; nil when it is not a public key.
    public static func parse(_ text: String) -> AuditPublicKey? {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasPrefix(filePrefix) { t = String(t.dropFirst(filePrefix.count)) }
        guard let raw = AuditChain.bytes(hex: t), raw.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { return nil }
        return AuditPublicKey(raw: raw)
    }

    public static func load(_ url: URL) throws -> AuditPublicKey {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SluiceError(.inputMissing, "the public key file \(url.path) does not exist or cannot be read")
        }
        guard let key = parse(String(decoding: data, as: UTF8.self)) else {
            throw SluiceError(.configInvalid, "\(url.path) is not an audit public key (expected '\(filePrefix)<64 hex>')")
        }
        return key
    }

    /// Whether `signature` (hex) is this key's Ed25519 signature of `bytes`.
    public func isValid(signature: String, for bytes: [UInt8]) -> Bool {
        guard let sig = AuditChain.bytes(hex: signature), sig.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(sig, for: bytes)
    }
}
