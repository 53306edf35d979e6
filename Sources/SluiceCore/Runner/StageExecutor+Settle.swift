import SluiceJSON

extension StageExecutor {
    /// Makes sure no record is lost because another record of its batch was rejected.
    ///
    /// Stages run segment by segment, so a stateful stage (dedupe) judges the whole batch before
    /// later stages see it: it may drop B as `duplicate_of A` and a later stage then quarantines
    /// or drops A. Neither would be written. After a pass over the batch, the records that a
    /// stateful stage passed but that did not survive are *rejected*; every stateful stage is
    /// told to `forget` them (their pending, uncommitted entries), and the records dropped
    /// because of a rejected one are taken out of the result (their drop event, ledger, reason
    /// and stage counts) and processed again from the stage that dropped them, in their original
    /// order. That repeats until no drop names a rejected record. Each round settles at least
    /// the first record processed again (what it is compared with now is either written or
    /// committed), so the loop ends; the bound only guards against a stage that breaks the
    /// `forget` contract.
    ///
    /// Records processed again come after the batch's other survivors. A record rejected
    /// after a stateful stage passed it also loses its `supersedes` events: it replaced nothing.
    func settle(_ result: inout BatchResult) async throws {
        guard !result.pending.isEmpty else { return }
        let bound = max(1, stages.count) * 2 * (result.pending.count + result.relatedDrops.count + 1)
        var rounds = 0
        var rejected = Set<String>()
        var forgotten = Set<String>()
        // Related id → the probe processed again for it in the last round. While probes keep
        // being rejected, the records dropped because of one rejected record go one at a time
        // (the probe), so that k copies of a text a later stage always rejects cost k runs, not
        // k²/2; once a probe is not rejected, the rest go together.
        var probes: [String: String] = [:]
        var together = Set<String>()
        while true {
            rejected = result.pending.subtracting(StageExecutor.writtenIDs(result.survivors))
            guard !rejected.isEmpty else { return }
            for (related, probe) in probes where !rejected.contains(probe) { together.insert(related) }
            probes = [:]
            let orphaned = result.relatedDrops.indices.filter { i in
                result.relatedDrops[i].reason.relatedID.map(rejected.contains) ?? false
            }
            guard let stage = orphaned.map({ result.relatedDrops[$0].stage }).min() else { break }
            rounds += 1
            if rounds > bound {
                throw SluiceError(.internalError, "stage '\(stages[stage].name)' keeps dropping records because of records that are not written; its forget(rejected:) does not forget them")
            }
            if !rejected.isSubset(of: forgotten) {
                for s in stateful { s?.forget(rejected: rejected) }
                forgotten = rejected
            }
            var chosen: [Int] = []
            for i in orphaned where result.relatedDrops[i].stage == stage {
                let related = result.relatedDrops[i].reason.relatedID ?? ""
                if together.contains(related) {
                    chosen.append(i)
                } else if probes[related] == nil {
                    probes[related] = result.relatedDrops[i].record.id
                    chosen.append(i)
                }
            }
            var again: [Record] = []
            for i in chosen {
                let d = result.relatedDrops[i]
                again.append(d.record)
                result.unrecord(d, stageName: stages[stage].name)
            }
            let chosenSet = Set(chosen)
            result.relatedDrops = result.relatedDrops.enumerated().filter { !chosenSet.contains($0.offset) }.map(\.element)
            result.absorb(try await processOnce(again, from: stage, to: stages.count))
        }
        result.events.removeAll { $0.kind == Supersession.kind && $0.recordID.map(rejected.contains) == true }
        for id in rejected { result.supersessions[id] = nil }
    }

    /// The ids the runner treats as written for a batch's survivors: theirs and their parents'.
    static func writtenIDs(_ survivors: [Record]) -> Set<String> {
        var out = Set<String>()
        out.reserveCapacity(survivors.count)
        for r in survivors {
            out.insert(r.id)
            if let p = r.parent { out.insert(p) }
        }
        return out
    }
}

extension BatchResult {
    /// Takes one drop out of the result, as if its record had not been processed by that stage.
    mutating func unrecord(_ d: RelatedDrop, stageName: String) {
        ledger.dropped -= 1
        dropReasons[d.reason.code, default: 0] -= 1
        if dropReasons[d.reason.code] == 0 { dropReasons[d.reason.code] = nil }
        stageStats[d.stage, default: StageCounters()].dropped -= 1
        stageStats[d.stage, default: StageCounters()].seen -= 1
        if let i = events.firstIndex(where: {
            $0.kind == .dropped && $0.recordID == d.droppedID && $0.stage == stageName && $0.reason == d.reason.code
                && $0.details?["related_id"]?.stringValue == d.reason.relatedID
        }) {
            events.remove(at: i)
        }
    }
}
