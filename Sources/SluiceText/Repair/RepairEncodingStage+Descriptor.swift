public import SluiceCore

extension RepairEncodingStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage,
        name: "repair_encoding",
        summary: "Repairs mojibake and normalises text fields; explains every change and quarantines what it cannot fix.",
        description: """
            Works on string fields chosen by JSON Pointer (default: every string in the record, \
            at any depth). For each string it undoes UTF-8 mojibake (`CafÃ©` → `Café`, several \
            layers, windows-1252, Latin-1, windows-1250/1251/1253/1254/1257, ISO-8859-2, MacRoman, \
            cp437, whole strings or runs inside them), then applies the normalisations that are \
            switched on. Text that does not look like mojibake is never re-decoded: false positives \
            are worse than misses.

            Every change is listed in a `repaired` audit note: per field, the fixes applied \
            (`mojibake: utf-8 read as windows-1252, 2 layers`, `nfc`, `control_chars: 3`).

            **Refusal.** A field that holds U+FFFD (characters were lost before Sluice saw them) or \
            whose mojibake repair is less sure than `min_confidence` (the text still looks broken \
            after repair) follows `on_undecodable`: `quarantine` (default; code `undecodable_text`, \
            with the field's pointer), `keep` (the field is left exactly as it was and the note says \
            so) or `replace` (the repair is applied and U+FFFD stays where characters were lost). \
            Sluice never puts replacement characters in on its own.

            Stateless: records may be repaired in parallel. Clean ASCII costs one pass over its bytes.
            """,
        fields: [
            FieldSpec("fields", .list(.pointer),
                      doc: "The string fields to repair, as JSON Pointers. Empty means every string in the record, at any depth. A pointer to an object or array repairs every string under it; a missing field is skipped.",
                      default: "[]", example: "[/title, /body]"),
            FieldSpec("fix_mojibake", .boolean, doc: "Undo UTF-8 text that was decoded with a single-byte charset.", default: "true"),
            FieldSpec("unicode_form", .oneOf(UnicodeForm.allCases.map(\.rawValue)),
                      doc: "Unicode normalisation: `nfc` composes characters (é as one code point); `nfkc` also folds compatibility forms (ﬁ → fi, ² → 2), which loses distinctions; `none` leaves them.",
                      default: "nfc"),
            FieldSpec("remove_control_chars", .boolean,
                      doc: "Remove C0 controls except tab and newline, DEL, C1 controls and deprecated format controls.", default: "true"),
            FieldSpec("normalize_line_endings", .boolean, doc: "CRLF, CR, NEL, U+2028 and U+2029 become `\\n`.", default: "true"),
            FieldSpec("remove_zero_width", .boolean,
                      doc: "Remove byte order marks, zero width spaces and word joiners (joiners U+200C/U+200D stay).", default: "true"),
            FieldSpec("decode_html_entities", .boolean,
                      doc: "Decode `&amp;`, `&eacute;`, `&#233;` in text that is not HTML (strings containing a tag are left alone). Covers the HTML 4 names plus about 160 common HTML5 ones, and every numeric reference.",
                      default: "true"),
            FieldSpec("straighten_quotes", .boolean, doc: "Curly quotes to straight ones. Off by default because it loses information.", default: "false"),
            FieldSpec("on_undecodable", .oneOf(UndecodablePolicy.allCases.map(\.rawValue)),
                      doc: "What to do with a field that holds U+FFFD or whose repair is below `min_confidence`: `quarantine` the record, `keep` the field as it was, or `replace` (apply the repair, keeping U+FFFD).",
                      default: "quarantine"),
            FieldSpec("min_confidence", .number(min: 0, max: 1),
                      doc: "Repairs less sure than this are refused (see `on_undecodable`). A repair that leaves text still looking broken scores 0.5; one that fixed only runs inside the text 0.8; a clean one 1.",
                      default: "0.75"),
        ],
        status: .beta,
        examples: [
            """
            - type: repair_encoding
              fields: [/title, /body]
              on_undecodable: keep
            """,
        ])
}

/// What to do with text that cannot be repaired with confidence.
public enum UndecodablePolicy: String, Sendable, CaseIterable {
    case quarantine, keep, replace
}
