public import SluiceCore

extension ChunkStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "chunk",
        summary: "Splits each document's text into retrieval-sized chunks, one record per chunk.",
        description: """
            Reads the text at `field` and replaces the document by its chunks (the audit trail \
            records the fork: each chunk's `parent` is the document's id); with `keep_document` \
            the document goes on too, right before its chunks, so one run can write documents \
            and chunks (select them in outputs with `when: '%kind == "document"'` and \
            `when: '%kind == "chunk"'`). Every chunk is at \
            most `max_size` in `unit`; a single grapheme cluster is cut only when it alone is \
            larger (possible with `bytes` and `tokens`).

            Each chunk record holds `doc_id`, `index` (0-based), `text`, `start` and `end` \
            (offsets in Unicode scalars, i.e. code points, into the source field: \
            `text == source[start:end]` in Python), `size` and `unit`, `heading_path` (markdown \
            headings enclosing the chunk's start, outermost first; empty for other strategies), \
            and the `copy_fields` present in the document, under their last pointer token. \
            With `trim` (default) a chunk's text and offsets leave out its leading and trailing \
            whitespace. Overlapping parts are repeated in both chunks.

            The chunk id is `<doc_id>#<first 16 hex digits of SHA-256 of the text>`, with \
            `.2`, `.3`... appended to repeats of the same text in one document: a re-run on \
            unchanged text gives the same ids, and an edit changes only the ids of the chunks \
            whose text changed.

            Quarantined: a document whose `field` is missing or null (`missing_field`) or not a \
            string (`wrong_type`). Dropped (`empty_text`): a document whose text is empty or \
            only whitespace; with `keep_document` it goes on without chunks instead. \
            Stateless: runs on all cores.

            Ledger: each chunk counts as `derived`. A document replaced by its chunks counts as \
            `forked`; a kept document is not forked but `written` with them, so \
            `received + derived = written + quarantined + dropped + deferred + forked` holds \
            either way. The audit trail has one `chunked` event per document (`details.kept: \
            true` for a kept one, which then also has its `written` event).
            """,
        fields: [
            FieldSpec("field", .pointer, doc: "JSON Pointer of the text to chunk.", default: "/body", example: "/content/text"),
            FieldSpec("strategy", .oneOf(ChunkStrategy.allCases.map(\.rawValue)),
                      doc: "`recursive`: paragraphs, lines, sentences, words, grapheme clusters, the largest that fits. `markdown`: sections by heading, blocks; code blocks, tables and list items kept whole when they fit; front matter apart. `sentence`: Unicode (UAX #29) sentences packed up to the limit.",
                      default: "recursive"),
            FieldSpec("unit", .oneOf(ChunkSizeUnit.allCases.map(\.rawValue)),
                      doc: "What sizes count: `chars` (grapheme clusters), `bytes` (UTF-8), `words` (whitespace-separated), `tokens` (of `tokenizer`, without special tokens).",
                      default: "chars"),
            FieldSpec("max_size", .integer(min: 1), doc: "Hard upper limit of a chunk's size, in `unit` (at least 4 for bytes, 8 for tokens).",
                      required: true, example: "512"),
            FieldSpec("min_size", .integer(min: 0), doc: "A chunk smaller than this is merged into its neighbour when the result still fits.",
                      default: "0"),
            FieldSpec("overlap", .integer(min: 0), doc: "Up to this much of the end of a chunk (whole words) starts the next, in `unit`; less than `max_size`.",
                      default: "0"),
            FieldSpec("tokenizer", .path(mustExist: true), doc: "A Hugging Face `tokenizer.json` (WordPiece or BPE); required for `unit: tokens`.",
                      example: "models/all-MiniLM-L6-v2/tokenizer.json"),
            FieldSpec("trim", .boolean, doc: "Leave whitespace at the edges of chunks out of their text and offsets.", default: "true"),
            FieldSpec("copy_fields", .list(.pointer), doc: "Document fields copied into every chunk (when present), named by their last pointer token.",
                      default: "[/title, /url, /lang]"),
            FieldSpec("keep_document", .boolean, doc: "Pass the document on beside its chunks (`%kind` is `document` for it, `chunk` for them) instead of replacing it by them.",
                      default: "false"),
        ],
        examples: ["""
            - type: chunk
              field: /body
              strategy: markdown
              unit: tokens
              tokenizer: models/all-MiniLM-L6-v2/tokenizer.json
              max_size: 256
              overlap: 32
            """])
}
