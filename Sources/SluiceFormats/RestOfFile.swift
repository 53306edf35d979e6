/// What a reader that cannot go on leaves unread, in the words of its one rest-of-file entry: the
/// byte range from where it stopped to the end of the file, and how many records the range holds.
///
/// That count is unknown wherever a reader stops today (malformed XML, a damaged or over-limit
/// `.gz`, a read error): finding the records would need the parse that just failed, so the entry
/// says "unknown" instead of guessing. Offsets are in the stream the reader reads: the file's bytes,
/// or the decompressed bytes of a `.gz` (whose end is not known, so the range is open).
struct RestOfFile: CustomStringConvertible {
    /// Where the unread bytes start; nil when only the line is known (`line`).
    var from: Int?
    var line: Int?
    /// The file's size when the reader reads the file's own bytes; nil for a decompressed stream.
    var fileBytes: Int?

    var description: String {
        if let from, let fileBytes, from >= fileBytes { return "nothing of the file is left after byte \(from)" }
        let start = from.map { "byte \($0)" } ?? line.map { "line \($0)" } ?? "where reading stopped"
        let range = fileBytes.map { "the rest of the file, from \(start) to byte \($0) (the end of the file)," }
            ?? "the rest of the decompressed stream, from \(start) on,"
        return "\(range) is not read, and how many records it holds is unknown"
    }
}
