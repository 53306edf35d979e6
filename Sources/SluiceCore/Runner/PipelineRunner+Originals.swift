import SluiceJSON

extension PipelineRunner {
    /// A record that a stage quarantined carries no bytes of its own: its original becomes the
    /// record as its input yielded it (as JSON), so that `sluice quarantine replay` can run it
    /// through the stages again. Records derived inside the batch (chunks) have no such form and
    /// keep none; failures that already carry bytes keep theirs.
    static func keepOriginals(_ failures: inout [RecordFailure], received: [Record]) {
        guard failures.contains(where: { $0.original == nil && $0.stage != nil }) else { return }
        var byID: [String: Record] = [:]
        for r in received where byID[r.id] == nil { byID[r.id] = r }
        for i in failures.indices where failures[i].original == nil && failures[i].stage != nil {
            guard let id = failures[i].recordID, let r = byID[id] else { continue }
            failures[i].original = RawBytes(JSONWriter.bytes(r.value))
        }
    }
}
