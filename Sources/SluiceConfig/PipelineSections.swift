public import SluiceCore

/// The top-level sections of a pipeline file and the options of the non-component ones. Used by
/// the linter and by `sluice components --format markdown` for the reference.
public enum PipelineSections {
    public static let topLevelKeys = ["name", "description", "base_dir", "inputs", "stages", "outputs",
                                      "quarantine", "state", "audit", "limits", "tests"]

    /// The defaults of `limits` are `Limits()`'s, stated once there.
    private static let defaults = Limits()

    public static let limits: [FieldSpec] = [
        FieldSpec("max_record_bytes", .integer(min: 1), doc: "A record (line, file, element) larger than this is quarantined with `record_too_large`; it is never held in memory whole.", default: String(defaults.maxRecordBytes), example: "10485760"),
        FieldSpec("max_depth", .integer(min: 1, max: 100_000), doc: "JSON and XML nesting deeper than this is quarantined with `too_deep`.", default: String(defaults.maxDepth)),
        FieldSpec("max_decompressed_bytes", .integer(min: 1), doc: "A compressed file that inflates past this many bytes is cut off; the rest is quarantined with `decompression_limit` (gzip bombs).", default: String(defaults.maxDecompressedBytes)),
        FieldSpec("batch_size", .integer(min: 1, max: 1_000_000), doc: "Records per batch: the unit of commit (outputs, checkpoints, audit in one transaction) and of memory.", default: String(defaults.batchSize)),
        FieldSpec("max_batch_bytes", .integer(min: 1), doc: "A batch is also cut once its records reach this many bytes (their JSON size, estimated), whatever `batch_size` says: memory follows the bytes of a batch, not its record count. A batch always holds at least one record.", default: String(defaults.maxBatchBytes), example: "8388608"),
        FieldSpec("max_quarantine_ratio", .number(min: 0, max: 1), doc: "When quarantined/received exceeds this, the run still writes what was good but exits 65.", example: "0.05"),
        FieldSpec("max_quarantined", .integer(min: 0), doc: "When more records than this are quarantined, the run still writes what was good but exits 65.", example: "100"),
        FieldSpec("parallelism", .integer(min: 1, max: 256), doc: "Threads for stateless stages. Default: the number of cores."),
    ]

    public static let quarantine: [FieldSpec] = [
        FieldSpec("path", .path(mustExist: false), doc: "The quarantine file: one JSON line per rejected record with reason code, message, stage, input, URI, locator, JSON Pointer and the original bytes. Appended across runs.", default: "out/quarantine.jsonl"),
        FieldSpec("keep_original", .boolean, doc: "Keep each record's original bytes in the entry (up to 64 KiB; text when valid UTF-8, else base64). Turn off when the quarantine may not hold record content.", default: "true"),
    ]

    public static let state: [FieldSpec] = [
        FieldSpec("dir", .path(mustExist: false), doc: "The state folder: state DB (checkpoints, run ledger, audit), lock. One run at a time per folder.", default: ".sluice/<pipeline>"),
    ]

    public static let audit: [FieldSpec] = [
        FieldSpec("enabled", .boolean, doc: "Append every run's events to the hash-chained audit log in the state DB and sign a digest per run (docs/compliance.md). `SLUICE_AUDIT=off` turns it off for one run.", default: "true"),
        FieldSpec("record_content", .boolean, doc: "Also keep each received record's content (its JSON, up to 64 KiB) in its `received` event, so the log alone shows what was read. Off by default: the log holds ids, places and SHA-256 hashes, never content; turn it on only where the log may hold the data itself.", default: "false"),
        FieldSpec("key_file", .path(mustExist: false), doc: "The secret audit key: the Ed25519 key that signs seals, run digests, heads, exports and archives is derived from it, and it fingerprints credentials (HMAC-SHA256); created with mode 0600 on first use. Keep it where those who can edit the state folder cannot read it; auditors need only `sluice audit public-key`. `SLUICE_AUDIT_KEY` overrides it.", default: "<state dir>/audit.key", example: "/etc/sluice/audit.key"),
    ]
}
