import ArgumentParser
import Foundation
import Sluice
import SluiceCore
import SluiceStore

/// `sluice audit head`: the signed head of the log, to keep somewhere the operator cannot edit.
struct AuditHeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head", abstract: "Print the log's signed head (seq, hash, time, signature) to keep elsewhere.",
        discussion: """
            The head is the last seal: Ed25519-signed when its batch was committed, so printing it \
            needs no secret. Store it outside the state folder (a ticket, syslog, another system); \
            later `sluice audit verify --public-key audit.pub --expect-head FILE` proves that nothing \
            up to it was removed or changed, truncation included. A log last written before seals \
            existed needs the secret key (--key or SLUICE_AUDIT_KEY) to sign its head now.
            Examples:
              sluice audit head pipelines/quickstart.yaml > heads/$(date +%F).json
              sluice audit head --state .sluice/quickstart
            Exit status: 0, 66 empty log or no state DB (or an unsealed log and no key).
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @Option(help: "The secret audit key file (only for a log written before seals).") var key: String?

    func run() async throws {
        let place = try location.resolve(pipeline: pipeline)
        let reader = try place.open()
        guard let head = try reader.chainHead() else {
            ErrorReport.failure("the audit log is empty: no head yet")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        if let seal = try reader.lastSeal(), seal.signature != nil, seal.seq == head.seq {
            print(seal.headJSON, terminator: "")
            return
        }
        // A log last written before seals: sign its head now, with the secret key.
        guard let k = try place.key(key) else {
            ErrorReport.failure("the log's head (seq \(head.seq)) is not sealed and there is no secret key to sign it (give --key or SLUICE_AUDIT_KEY)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        let seal = try AuditSeal.signed(seq: head.seq, hash: head.hash, time: Timestamp.string(Date()), key: k)
        print(seal.headJSON, terminator: "")
    }
}

/// `sluice audit public-key`: the public half of the audit key, for auditors.
struct AuditPublicKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-key", abstract: "Print the audit public key (what an auditor needs to verify; it cannot sign).",
        discussion: """
            Derived from the secret audit key (--key, SLUICE_AUDIT_KEY, the pipeline's audit.key_file, \
            else <state>/audit.key). Hand the output to auditors; `sluice audit verify --public-key FILE` \
            then checks seals, digests, heads, exports and archives without any secret.
            Example:
              sluice audit public-key pipelines/quickstart.yaml > audit.pub
            Exit status: 0, 66 no secret key.
            """)
    @Argument(help: "The pipeline file (or use --state).") var pipeline: String?
    @OptionGroup var location: AuditLocation
    @Option(help: "The secret audit key file.") var key: String?

    func run() async throws {
        let place = try location.resolve(pipeline: pipeline)
        guard let k = try place.key(key) else {
            ErrorReport.failure("no secret audit key found (give --key or SLUICE_AUDIT_KEY)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        print(k.publicKey.fileText, terminator: "")
    }
}
