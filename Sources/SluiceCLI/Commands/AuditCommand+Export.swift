import ArgumentParser
import Foundation
import Sluice
import SluiceCore
import SluiceJSON
import SluiceStore

extension AuditOutput {
    /// Streams matching rows as JSONL or CSV to stdout, hashing exactly the bytes written.
    static func exportRows(_ reader: AuditReader, filter: AuditFilter, format: Format, hasher: inout AuditExportHasher) throws {
        let out = BufferedStdout()
        defer { out.flush() }
        switch format {
        case .csv:
            let header = AuditRow.columnNames.joined(separator: ",") + "\r\n"
            hasher.header(Array(header.utf8))
            out.write(header)
            try reader.rows(filter) { row in
                let line = row.texts.map { csvField($0) }.joined(separator: ",") + "\r\n"
                hasher.row(seq: row.seq, hash: row.hash, Array(line.utf8))
                out.write(line)
            }
        case .jsonl, .table:
            try reader.rows(filter) { row in
                let line = JSONWriter.string(row.json) + "\n"
                hasher.row(seq: row.seq, hash: row.hash, Array(line.utf8))
                out.write(line)
            }
        }
    }

    /// The filter as the manifest records it.
    static func filterJSON(_ o: AuditFilterOptions) -> JSONValue {
        var j = JSONObject()
        let pairs: [(String, String?)] = [("record", o.record), ("run", o.run), ("input", o.input), ("uri", o.uri), ("event", o.event),
                                          ("stage", o.stage), ("reason", o.reason), ("credential", o.credential), ("since", o.since),
                                          ("until", o.until), ("limit", o.limit.map(String.init))]
        for (k, v) in pairs { if let v { j[k] = .string(v) } }
        return .object(j)
    }
}

/// `sluice audit verify-export`: an export checked offline against its signed manifest.
struct AuditVerifyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export", abstract: "Check an audit export against its signed manifest, offline, with the public key.",
        discussion: """
            Checks the manifest's Ed25519 signature, then that the export holds exactly the rows \
            it signed: their count and seq range, the SHA-256 of every block of 1024 rows and of \
            the whole file. An edit is reported with the first bad seq (the row whose hash no \
            longer matches its content, or the first row of the changed block). Needs no state \
            folder and no secret.
            Example:
              sluice audit verify-export november.jsonl --manifest november.manifest.json --public-key audit.pub
            Exit status: 0 intact, 65 edited or forged, 66 a file is missing, 64 not a manifest.
            """)
    @Argument(help: "The export file (JSONL or CSV, as `sluice audit export` wrote it).") var export: String
    @Option(help: "The manifest file written by `sluice audit export --manifest`.") var manifest: String
    @Option(name: .customLong("public-key"), help: "The audit public key to trust.") var publicKey: String

    func run() async throws {
        let key: AuditPublicKey
        do { key = try AuditPublicKey.load(URL(fileURLWithPath: publicKey)) } catch let e as SluiceError {
            ErrorReport.failure(e.description)
            throw ExitCode(e.status.rawValue)
        }
        guard let data = FileManager.default.contents(atPath: export) else {
            ErrorReport.failure("cannot read the export \(export)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        guard let mdata = FileManager.default.contents(atPath: manifest) else {
            ErrorReport.failure("cannot read the manifest \(manifest)")
            throw ExitCode(ExitStatus.inputMissing.rawValue)
        }
        guard let m = AuditExportManifest.parse([UInt8](mdata)) else {
            ErrorReport.failure("\(manifest) is not an audit export manifest (\(AuditExportManifest.format))")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let r = AuditExportVerifier.verify(export: [UInt8](data), manifest: m, key: key)
        var s = "checked \(r.rows) rows (seq \(r.firstSeq.map(String.init) ?? "-")…\(r.lastSeq.map(String.init) ?? "-")) against the manifest signed \(m.createdAt) by key \(m.keyID)\n"
        if r.isClean {
            s += "intact: the export is exactly what was signed (SHA-256 \(m.sha256))\n"
        } else {
            s += "TAMPERED" + (r.firstBadSeq.map { ": first bad seq \($0)" } ?? "") + "\n"
            for d in r.damage { s += "  \(d)\n" }
        }
        print(s, terminator: "")
        if !r.isClean { throw ExitCode(ExitStatus.dataError.rawValue) }
    }
}
