#!/usr/bin/env python3
"""Appends N audit rows to an existing Sluice state DB, continuing its hash chain, with direct
SQL inserts (one transaction). The rows look like a real pipeline's: per document `received` and
`written`; every 5th document is cut into 4 chunks (`chunked` + a `written` per chunk, with
parent_id); every 20th is quarantined. Also an independent check of the canonical encoding
documented in docs/compliance.md: `sluice audit verify` must accept the result. When the state
folder holds `audit.key` and the DB has `audit_seals`, every 1000 rows (and the last row) are
sealed with Ed25519 under the key derived as docs/compliance.md documents (an independent check of
the seal format and the key derivation; needs the `cryptography` package).

usage: gen_log.py STATE_DB ROWS
"""
import hashlib, json, os, sqlite3, struct, sys, time

def enc(v):
    if v is None:
        return b"\x00"
    b = v.encode("utf-8")
    return b"\x01" + struct.pack(">Q", len(b)) + b

COLS = ["seq", "run_id", "time", "actor", "event", "record_id", "parent_id", "input", "uri",
        "locator", "stage", "reason", "details", "credential_fp"]

def main():
    path, n = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    row = db.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0], row[1]) if row else (0, "0" * 64)
    signer = None
    key_file = os.path.join(os.path.dirname(os.path.abspath(path)), "audit.key")
    has_seals = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'audit_seals'").fetchone()[0] > 0
    if has_seals and os.path.exists(key_file):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
        secret = bytes.fromhex(open(key_file).read().strip())
        signer = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"sluice-audit-ed25519/1" + secret).digest())
        pub = signer.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key_id = hashlib.sha256(pub).hexdigest()[:16]
    seals = []
    last_time = [None]
    def seal(s, h, t):
        msg = ("sluice-audit-seal/1\n%d\n%s\n%s\n%s" % (s, h, t, key_id)).encode()
        seals.append((s, h, t, key_id, signer.sign(msg).hex()))
    start = time.time()
    run, actor = "20261130T000000Z-bench0", "bench@host"
    rows = []
    doc = 0
    sha256 = hashlib.sha256
    def add(event, rid, parent=None, stage=None, reason=None, details=None, loc=None, uri=None):
        nonlocal seq, prev
        seq += 1
        t = "2026-11-30T%02d:%02d:%02d.%03dZ" % ((seq // 3600000) % 24, (seq // 60000) % 60, (seq // 1000) % 60, seq % 1000)
        vals = [str(seq), run, t, actor, event, rid, parent, "docs", uri, loc, stage, reason, details, None]
        h = sha256(bytes.fromhex(prev) + b"".join(enc(v) for v in vals)).hexdigest()
        rows.append((seq, run, t, actor, event, rid, parent, "docs", uri, loc, stage, reason, details, None, prev, h))
        prev = h
        last_time[0] = t
        if signer and seq % 1000 == 0:
            seal(seq, h, t)
    db.execute("BEGIN")
    while seq < n + (row[0] if row else 0):
        doc += 1
        rid = "doc-%08d" % doc
        uri = "data/part-%03d.jsonl" % (doc % 64)
        add("received", rid, loc='{"line":%d}' % doc, uri=uri,
            details='{"sha256":"%s"}' % sha256(rid.encode()).hexdigest())
        if doc % 20 == 0:
            add("quarantined", rid, stage="require_fields", reason="missing_field", uri=uri,
                details='{"message":"/title is missing","pointer":"/title"}')
        elif doc % 5 == 0:
            kids = ["%s#%d" % (rid, k) for k in range(4)]
            add("chunked", rid, stage="chunk", uri=uri, details=json.dumps({"children": 4, "child_ids": kids}, separators=(",", ":")))
            for k in kids:
                add("written", k, parent=rid, uri=uri, details='{"outputs":["records","db"]}')
        else:
            add("written", rid, uri=uri, details='{"outputs":["records","db"]}')
        if len(rows) >= 100000:
            db.executemany("INSERT INTO audit_events (seq, run_id, time, actor, event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            rows.clear()
    if signer and last_time[0] and (not seals or seals[-1][0] != seq):
        seal(seq, prev, last_time[0])
    if seals:
        db.executemany("INSERT INTO audit_seals (seq, hash, time, key_id, signature) VALUES (?,?,?,?,?)", seals)
    if rows:
        db.executemany("INSERT INTO audit_events (seq, run_id, time, actor, event, record_id, parent_id, input, uri, locator, stage, reason, details, credential_fp, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"generated: {seq} rows, {doc} documents in {time.time() - start:.1f} s", file=sys.stderr)

main()
