public import SluiceJSON

/// Why one record could not pass: it is quarantined with this and the run goes on.
///
/// Thrown or returned by readers and stages. Any other error stops the run.
/// The message never quotes record content (content is sensitive); it names the place and the rule.
public struct RecordFailure: Error, Sendable, Hashable {
    public var code: Code
    /// What went wrong and, where it helps, how to fix it.
    public var message: String
    /// The record's id, when one could be given.
    public var recordID: String?
    public var provenance: Provenance?
    /// Where inside the record the problem is (RFC 6901), when relevant.
    public var pointer: String?
    /// The stage that refused the record; nil for input and decode failures.
    public var stage: String?
    /// The record's original bytes (bounded: see `RawBytes`).
    public var original: RawBytes?
    /// Structured details (for example schema violations), for the quarantine file and the audit.
    public var details: JSONValue?

    public init(
        code: Code, message: String, recordID: String? = nil, provenance: Provenance? = nil,
        pointer: String? = nil, stage: String? = nil, original: RawBytes? = nil, details: JSONValue? = nil
    ) {
        self.code = code
        self.message = message
        self.recordID = recordID
        self.provenance = provenance
        self.pointer = pointer
        self.stage = stage
        self.original = original
        self.details = details
    }

    /// A reason code. A struct rather than an enum so that new codes can be added without
    /// breaking anyone who switches over them; compare with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible, Codable {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }

        /// The bytes are not valid JSON (or the format's syntax).
        public static let malformed = Code("malformed")
        /// The record is larger than `max_record_bytes`.
        public static let tooLarge = Code("record_too_large")
        /// Nested deeper than `max_depth`.
        public static let tooDeep = Code("too_deep")
        /// The text is not valid in any encoding we could determine.
        public static let undecodableText = Code("undecodable_text")
        /// A NUL byte inside text.
        public static let nulByte = Code("nul_byte")
        /// A compressed stream ended early or is corrupt.
        public static let corruptCompression = Code("corrupt_compression")
        /// Decompressed size over `max_decompressed_bytes`.
        public static let decompressionLimit = Code("decompression_limit")
        /// A required field is missing or null.
        public static let missingField = Code("missing_field")
        /// A field has the wrong type for the stage.
        public static let wrongType = Code("wrong_type")
        /// The document is not an object where an object was needed.
        public static let notAnObject = Code("not_an_object")
        /// An XML document uses a DTD, an external entity or entity expansion, which we refuse.
        public static let forbiddenXML = Code("forbidden_xml")
        /// The source file could not be read (permission, vanished mid-run).
        public static let unreadable = Code("unreadable")
        /// The schema rejected the record.
        public static let schemaViolation = Code("schema_violation")
        /// The schema check was stopped before it finished (a pathological pattern, too much work).
        public static let schemaCheckAborted = Code("schema_check_aborted")
        /// An empty source where a document was expected.
        public static let empty = Code("empty")
    }
}

/// A record's original bytes, kept up to a bound so that a 2 GB line cannot fill the quarantine.
public struct RawBytes: Sendable, Hashable {
    public var bytes: [UInt8]
    /// The full length of the original, which may be larger than `bytes.count`.
    public var totalCount: Int
    public var isTruncated: Bool { bytes.count < totalCount }

    /// Keeps at most `limit` bytes of `bytes`.
    public init<C: Collection>(_ bytes: C, totalCount: Int? = nil, limit: Int = RawBytes.defaultLimit) where C.Element == UInt8 {
        self.bytes = Array(bytes.prefix(limit))
        self.totalCount = totalCount ?? bytes.count
    }

    public static let defaultLimit = 64 * 1024
}
