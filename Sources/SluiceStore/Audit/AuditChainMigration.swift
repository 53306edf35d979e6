import GRDB

/// Chains rows written before the chain existed (migration v3), in seq order, once.
enum AuditChainMigration {
    static func chainExistingRows(_ db: Database) throws {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events") ?? 0
        guard count > 0 else { return }
        // The append-only trigger is lifted for this one migration and restored in the same transaction.
        try db.execute(sql: "DROP TRIGGER audit_events_no_update")
        var prev = AuditChain.genesis
        let rows = try Row.fetchAll(db, sql: "SELECT \(AuditStoredRow.columns) FROM audit_events ORDER BY seq")
        let update = try db.makeStatement(sql: "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?")
        for r in rows {
            var row = AuditStoredRow.decode(r)
            AuditChain.seal(&row, after: prev)
            prev = row.hash
            try update.execute(arguments: [row.prevHash, row.hash, row.seq])
        }
        try db.execute(sql: """
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """)
    }
}

/// Reading `AuditRow`s from SQLite rows.
enum AuditStoredRow {
    static let columns = "seq, run_id, time, actor, event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp, prev_hash, hash"

    /// A row as stored; a column whose value is not text reads as its text form (so a changed
    /// storage class still changes the hash).
    static func decode(_ r: Row) -> AuditRow {
        func text(_ i: Int) -> String? {
            let v: DatabaseValue = r[i]
            switch v.storage {
            case .null: return nil
            case .string(let s): return s
            case .int64(let n): return String(n)
            case .double(let d): return String(d)
            case .blob(let b): return "blob:" + b.base64EncodedString()
            }
        }
        let seqValue: DatabaseValue = r[0]
        let seq: Int64
        if case .int64(let n) = seqValue.storage { seq = n } else { seq = -1 }
        return AuditRow(seq: seq, runID: text(1) ?? "", time: text(2) ?? "", actor: text(3) ?? "", event: text(4) ?? "",
                        recordID: text(5), parentID: text(6), input: text(7), uri: text(8), locator: text(9),
                        stage: text(10), reason: text(11), details: text(12), credentialFingerprint: text(13),
                        prevHash: text(14) ?? "", hash: text(15) ?? "")
    }
}
