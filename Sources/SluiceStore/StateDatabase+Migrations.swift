import GRDB

extension StateDatabase {
    /// The state DB's schema, as named migrations applied in order. Never edit a shipped migration:
    /// add a new one.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1: checkpoints, runs, audit events") { db in
            try db.execute(sql: """
                CREATE TABLE checkpoints (
                  key TEXT PRIMARY KEY NOT NULL,
                  value TEXT NOT NULL CHECK (json_valid(value)),
                  run_id TEXT NOT NULL,
                  updated_at TEXT NOT NULL
                );
                CREATE TABLE runs (
                  id TEXT PRIMARY KEY NOT NULL,
                  pipeline TEXT NOT NULL,
                  started_at TEXT NOT NULL,
                  finished_at TEXT,
                  status TEXT NOT NULL,
                  exit_status INTEGER,
                  actor TEXT NOT NULL,
                  received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
                  derived INTEGER NOT NULL DEFAULT 0 CHECK (derived >= 0),
                  written INTEGER NOT NULL DEFAULT 0 CHECK (written >= 0),
                  quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
                  dropped INTEGER NOT NULL DEFAULT 0 CHECK (dropped >= 0),
                  deferred INTEGER NOT NULL DEFAULT 0 CHECK (deferred >= 0),
                  forked INTEGER NOT NULL DEFAULT 0 CHECK (forked >= 0),
                  summary TEXT CHECK (summary IS NULL OR json_valid(summary))
                );
                CREATE TABLE audit_events (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT,
                  run_id TEXT NOT NULL,
                  time TEXT NOT NULL,
                  actor TEXT NOT NULL,
                  event TEXT NOT NULL,
                  record_id TEXT,
                  parent_id TEXT,
                  input TEXT,
                  uri TEXT,
                  locator TEXT,
                  stage TEXT,
                  reason TEXT,
                  details TEXT CHECK (details IS NULL OR json_valid(details)),
                  credential_fp TEXT
                );
                CREATE INDEX audit_events_record ON audit_events(record_id);
                CREATE INDEX audit_events_run ON audit_events(run_id, seq);
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        m.registerMigration("v2: stage state") { db in
            try db.execute(sql: """
                CREATE TABLE stage_state (
                  namespace TEXT NOT NULL,
                  key TEXT NOT NULL,
                  value BLOB NOT NULL,
                  PRIMARY KEY (namespace, key)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v3: audit hash chain") { db in
            try db.execute(sql: """
                ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
                ALTER TABLE audit_events ADD COLUMN hash TEXT;
                CREATE INDEX audit_events_parent ON audit_events(parent_id) WHERE parent_id IS NOT NULL;
                CREATE INDEX audit_events_time ON audit_events(time);
                CREATE INDEX audit_events_upstream ON audit_events(uri)
                  WHERE event IN ('fetched', 'credential_used', 'credential_denied', 'retried', 'fallback_used', 'circuit_opened');
                """)
            try AuditChainMigration.chainExistingRows(db)
        }
        m.registerMigration(AuditSeals.migrationName) { db in
            try AuditSeals.create(db)
        }
        return m
    }()
}
