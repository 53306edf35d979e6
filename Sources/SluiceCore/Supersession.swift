public import SluiceJSON

/// How a stage tells the runner that a record replaces earlier ones (a newer version of a
/// document): it passes the record with `Supersession.note(replacing:)`. When the outputs accept
/// the record (or its chunks), the runner calls `OutputWriter.supersede(ids:by:)` right before
/// writing it, in the same batch (the executor collects the notes into the batch's
/// `supersessions`); the note is also the `supersedes` audit event.
public enum Supersession {
    /// The audit event and note kind.
    public static let kind = AuditEventKind.supersedes

    public static func note(replacing ids: [String]) -> StageNote {
        StageNote(kind, details: .object(JSONObject([("superseded_ids", .array(ids.map { .string($0) }))])))
    }

    /// The ids a `supersedes` note or event names.
    public static func ids(in details: JSONValue?) -> [String] {
        details?["superseded_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
