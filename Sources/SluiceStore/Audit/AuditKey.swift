import Crypto
public import Foundation
public import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the audit log's key lives and whether the log is kept at all.
///
/// The key file path comes from, in order: the explicit `keyFile`, the environment variable
/// `SLUICE_AUDIT_KEY`, else `<state dir>/audit.key`. `SLUICE_AUDIT=off` turns the audit log off
/// (no rows, no digests): meant only for measuring its cost.
public struct AuditSettings: Sendable, Hashable {
    public var enabled: Bool
    public var keyFile: URL

    public init(enabled: Bool = true, keyFile: URL) {
        self.enabled = enabled
        self.keyFile = keyFile
    }

    /// The settings for the state folder `stateDirectory`: the pipeline's `audit:` section,
    /// overridden for this process by `SLUICE_AUDIT=off` and `SLUICE_AUDIT_KEY=FILE`.
    public static func fromEnvironment(stateDirectory: URL, plan: AuditPlan = AuditPlan(),
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> AuditSettings {
        let off = ["off", "0", "false", "no"].contains((environment["SLUICE_AUDIT"] ?? "").lowercased())
        let key = environment["SLUICE_AUDIT_KEY"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? plan.keyFile ?? stateDirectory.appendingPathComponent("audit.key")
        return AuditSettings(enabled: plan.enabled && !off, keyFile: key)
    }
}

/// The secret audit key: fingerprints credential references (HMAC-SHA256) and, through the
/// Ed25519 key derived from it (`AuditSigning.swift`), signs seals, digests, heads, exports and
/// archives.
///
/// Stored as 64 hex characters in a file created with mode 0600 on first use. Whoever holds the
/// key can sign: keep it where the people who can edit the state folder cannot read it, and give
/// auditors the public key (`sluice audit public-key`).
public struct AuditKey: Sendable {
    private let bytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: bytes) }
    /// The Ed25519 seed and public key derived from `bytes`.
    let seed: [UInt8]
    let publicKeyBytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        seed = AuditKey.derivedSeed(bytes)
        publicKeyBytes = AuditKey.derivedPublicKey(seed: seed)
    }

    /// Reads the key at `url`; creates it (random, mode 0600) if `create` and absent.
    public static func load(_ url: URL, create: Bool) throws -> AuditKey {
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            guard let raw = AuditChain.bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count >= 16 else {
                throw SluiceError(.configInvalid, "the audit key file \(url.path) is not a hex key of at least 16 bytes")
            }
            return AuditKey(bytes: raw)
        }
        guard create else { throw SluiceError(.inputMissing, "the audit key file \(url.path) does not exist") }
        var raw = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in raw.indices { raw[i] = UInt8.random(in: 0...255, using: &rng) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            // Another process created it first: use theirs.
            if errno == EEXIST { return try load(url, create: false) }
            throw SluiceError(.cannotCreateOutput, "cannot create the audit key file \(url.path)")
        }
        let text = Array((ContentHash.hex(raw) + "\n").utf8)
        let ok = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count } && fsync(fd) == 0
        close(fd)
        guard ok else { throw SluiceError(.cannotCreateOutput, "cannot write the audit key file \(url.path)") }
        return AuditKey(bytes: raw)
    }

    /// Lowercase hex HMAC-SHA256 of `bytes` (format-1 digests and credential fingerprints).
    public func sign(_ bytes: [UInt8]) -> String {
        ContentHash.hex(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }

    /// Constant-time check of a hex signature.
    public func isValid(signature: String, for bytes: [UInt8]) -> Bool {
        guard let raw = AuditChain.bytes(hex: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(raw, authenticating: bytes, using: key)
    }

    /// The fingerprint of a credential reference (its name): 32 hex characters of
    /// HMAC-SHA256(key, "credential:" + name). Identifies the credential across runs without
    /// naming it or its secret; only the key's holder can tell which name it is.
    public func fingerprint(credential name: String) -> String {
        String(sign(Array(("credential:" + name).utf8)).prefix(32))
    }
}
