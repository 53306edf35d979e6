public import SluiceCore
public import SluiceJSON

extension DecodedText {
    /// The decode as audit details: `{"charset": "windows-1251", "confidence": 0.93,
    /// "declared": "latin1", "declaration_honoured": false, "bom": false, "notes": [...]}`.
    public var json: JSONValue {
        var o = JSONObject()
        o["charset"] = .string(charset.name)
        o["confidence"] = .number(JSONNumber(confidence))
        if let declared { o["declared"] = .string(declared) }
        o["declaration_honoured"] = .bool(declarationHonoured)
        o["bom"] = .bool(hadBOM)
        if !notes.isEmpty { o["notes"] = .array(notes.map { .string($0) }) }
        return .object(o)
    }
}

extension UndecodableText {
    /// The quarantine reason for a record whose bytes could not be decoded (code
    /// `undecodable_text`), keeping the original bytes (bounded by `RawBytes`).
    public func recordFailure(recordID: String? = nil, provenance: Provenance? = nil, original: [UInt8]? = nil,
                              stage: String? = nil) -> RecordFailure {
        var details = JSONObject()
        if let offset { details["offset"] = .number(JSONNumber(offset)) }
        if let bestGuess {
            details["best_guess"] = .string(bestGuess.name)
            details["confidence"] = .number(JSONNumber(confidence))
        }
        if !candidates.isEmpty {
            details["candidates"] = .array(candidates.map {
                var c = JSONObject()
                c["charset"] = .string($0.charset.name)
                c["score"] = .number(JSONNumber($0.score))
                return .object(c)
            })
        }
        return RecordFailure(code: .undecodableText, message: message, recordID: recordID, provenance: provenance,
                             stage: stage, original: original.map { RawBytes($0) },
                             details: details.isEmpty ? nil : .object(details))
    }
}
