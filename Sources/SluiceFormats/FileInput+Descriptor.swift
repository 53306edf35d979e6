public import SluiceCore
import SluiceCharset

extension FileInput {
    /// `type: file`.
    public static let descriptor = ComponentDescriptor(
        kind: .input,
        name: "file",
        summary: "Reads records from files matched by glob patterns: JSON Lines, JSON, CSV, text, markdown, HTML and XML, optionally gzipped.",
        description: """
            Patterns are relative to the pipeline's base folder and expanded by Sluice (not a shell): `*`, `?`, `[a-z]` \
            match within a folder, `**` matches any number of folders; hidden files and folders match only when the pattern \
            names them; a trailing `**` means every file below; results are sorted. Folders are walked, not read (one named \
            like a data file, `x.jsonl/`, is reported as `unreadable`); a literal folder means every file under it. A \
            pattern that matches nothing, or \
            a literal path that does not exist, stops the run with exit status 66 (`sluice validate` warns or errors).

            Formats (`format: auto` picks by extension, after a trailing `.gz`): `jsonl`/`.ndjson` (one object per line, \
            blank lines skipped), `json` (an array gives one record per item, streamed; an object gives one record), `csv` \
            (RFC 4180; header row names the fields; values are strings; `.tsv` is tab-separated), `text` (`{path, title, \
            body}`, title from the first non-empty line, optional `Key: value` header block as fields), `markdown` (`{path, \
            title, ...front matter, body}`, title from the first `#` heading, else the front matter's), `html` (`{path, \
            title, lang, canonical_url, author, description, keywords, published_time, modified_time, meta, body}`, body as \
            markdown-like text without scripts, styles, navigation, asides and page headers and footers), `xml` (each \
            `xml.record_element` element is a record: attributes as `@name`, text-only children as strings, repeated \
            children as lists, mixed text as `#text`). `.gz` files are inflated as they stream. Lines end at `\\n`, `\\r\\n` \
            or a lone `\\r` in every format; the one final line break of a text or markdown file is not part of `body`.

            A reader that cannot go on (a stream that breaks, XML that stops being well-formed) keeps every record before \
            the problem and quarantines the rest of the file in one entry that says where it stopped and which byte range \
            it did not read (how many records that range holds is unknown: the parse that would find them failed).

            Every read is streaming: memory holds one record (and a 256 KiB buffer), never a whole file, except text, \
            markdown and HTML, which are one record per file and bounded by `max_record_bytes`.

            Record ids: the `id` field's value (a string, or a number's text) when `id` is set, else derived from the \
            position: `path#L<line>` (jsonl), `path#<index>` (json array items, csv rows, xml elements, 0-based), `path` \
            (whole-file formats). Provenance: the input's name, the path relative to the base folder, line, byte offset \
            (in the decompressed stream) and index, and the SHA-256 of the record's raw bytes.

            Quarantined (the run goes on): `malformed` (bad JSON, a CSV row with the wrong field count or an unclosed quote, \
            bad XML, bad front matter), `not_an_object`, `too_deep` (nesting over `limits.max_depth`), `record_too_large` \
            (over `max_record_bytes`; the record is skipped without being held), `undecodable_text` (bytes that are not \
            valid in the file's encoding, see below; never replaced by U+FFFD), `nul_byte` (unless `nul: strip`), `corrupt_compression` (a cut `.gz`: records before the cut are kept; \
            a damaged member, found by a first pass that checks every member's CRC: records of the intact members before \
            it are kept, nothing of the damaged one is), `decompression_limit`, `forbidden_xml` (entity declarations: never expanded, never fetched; a reference to an undeclared entity, which \
            a document with an external DTD may hold, quarantines its element), \
            `missing_field`/`wrong_type` (the `id` field), `empty` (an empty text, markdown, HTML, JSON or XML file; an \
            empty JSON Lines or CSV file simply has no records), `unreadable` (permission denied, a folder, a vanished \
            file), `unsupported_format` (`format: auto` and an unknown extension).

            Encodings: JSON and JSON Lines are UTF-8 (UTF-16 and UTF-32 with a byte order mark are decoded). The other \
            formats are decoded as `encoding` says; with `auto` (the default) a byte order mark decides, then a declaration \
            (XML declaration, HTML `<meta charset>`: honoured, but checked against the bytes), then detection: UTF-8, \
            UTF-16/32 without BOM, windows-1252/1250/1251, ISO-8859-1/2/15, KOI8-R, Shift_JIS, EUC-JP, GB18030, Big5, \
            EUC-KR. Text, markdown and HTML are detected on the whole file (up to 64 KiB scored) and get a \
            `source_charset` field when not UTF-8; CSV and XML stream, so the encoding is chosen once per file from its \
            first 64 KiB (decompressed, for `.gz`) and every row or element is decoded with it; a row with bytes that are \
            not valid in it is quarantined as `undecodable_text` with the field and byte offset. A file read from a \
            legacy encoding adds a `decoded` event to the audit trail (charset, confidence, notes) and counts in the \
            summary's `legacy_charset_files`. Detection below confidence 0.5 decides nothing: the file is read as UTF-8 \
            and what is not UTF-8 is quarantined. A byte order mark overrides a pinned encoding.

            Incremental: the checkpoint remembers each finished file's size, modification time (to the nanosecond) and \
            SHA-256. A file whose size and modification time are unchanged is skipped on the next run without being read \
            (one `skipped_unchanged` notice per run), as `make` and `rsync` decide; with `unchanged: sha256` it is read and \
            hashed first, and skipped only when its content is the same. A changed file is read again from the start. After a crash the file being read resumes after the last committed record (JSON Lines and CSV jump to \
            the byte offset; other formats skip the records already read). Changing how files are read (`format`, `id`, \
            the `csv`/`text`/`html`/`xml` options or the limits) reads every file again; adding a pattern to `paths` does not.
            """,
        fields: [
            FieldSpec("paths", .oneOrMany(.string), doc: "Glob patterns or paths, relative to the pipeline's base folder.",
                      required: true, example: "samples/**/*.jsonl"),
            FieldSpec("format", .oneOf(["auto"] + FileFormat.allCases.map(\.rawValue)),
                      doc: "How to read the files; `auto` picks by extension (after `.gz`).", default: "auto"),
            FieldSpec("id", .pointer, doc: "JSON Pointer of the field holding each record's id; unset: ids come from the path and position. "
                      + "A record without the field is quarantined as `missing_field`.", example: "/id"),
            FieldSpec("encoding", .oneOf(["auto"] + TextCharset.allCases.map(\.name)),
                      doc: "The encoding of csv, text, markdown, html and xml files; `auto` detects it (see above). "
                      + "JSON and JSON Lines are always UTF-8.", default: "auto", example: "windows-1252"),
            FieldSpec("nul", .oneOf(NULPolicy.allCases.map(\.rawValue)),
                      doc: "What a NUL byte in text (csv, jsonl, text, markdown, html, xml) does: `quarantine` its record (line, "
                      + "row or document) as `nul_byte`, or `strip` it (removed; each file's count is a `nul_stripped` notice).",
                      default: "quarantine"),
            FieldSpec("unchanged", .oneOf(["size_mtime", "sha256"]),
                      doc: "How a file read in an earlier run is known to be unchanged: `size_mtime` (no read; a cron run over a "
                      + "large corpus costs one `stat` per file) or `sha256` (read and hashed, for files rewritten in place with "
                      + "their old size and modification time restored).", default: "size_mtime"),
            FieldSpec("csv", .object([
                FieldSpec("delimiter", .string, doc: "The field separator, one character (`.tsv` files default to a tab).", default: ","),
                FieldSpec("quote", .string, doc: "The quote character, one character.", default: "\""),
                FieldSpec("header", .boolean, doc: "Whether the first row names the fields; without it fields are `column_1`, `column_2`, ...",
                          default: "true"),
            ]), doc: "CSV options."),
            FieldSpec("text", .object([
                FieldSpec("header_fields", .boolean, doc: "Read a leading block of e-mail-like `Key: value` lines as fields.", default: "false"),
            ]), doc: "Plain-text options."),
            FieldSpec("html", .object([
                FieldSpec("content_element", .string, doc: "Read only the first element with this tag name (`article`, `main`); "
                          + "unset or absent from a page: the whole body.", example: "article"),
            ]), doc: "HTML options."),
            FieldSpec("xml", .object([
                FieldSpec("record_element", .string, doc: "The element name (prefix optional) each record is; required to read XML.",
                          example: "item"),
            ]), doc: "XML options."),
            FieldSpec("max_record_bytes", .integer(min: 1), doc: "Overrides `limits.max_record_bytes` for this input.", example: "10485760"),
            FieldSpec("max_decompressed_bytes", .integer(min: 1), doc: "Overrides `limits.max_decompressed_bytes` for this input: "
                      + "a `.gz` file inflating past it is cut off (`decompression_limit`).", example: "1073741824"),
        ],
        examples: [
            """
            - name: articles
              type: file
              paths: ["samples/*.jsonl", "samples/archive/**/*.jsonl.gz"]
              id: /id
            """,
            """
            - name: feed
              type: file
              paths: samples/feed.xml
              xml:
                record_element: item
            """,
        ])
}
