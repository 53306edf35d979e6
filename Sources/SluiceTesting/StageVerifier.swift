public import SluiceCore
import Foundation
import SluiceJSON

/// Checks the contract every `Stage` promises (see the `Stage` protocol's documentation):
///
/// - **determinism**: the same record gives the same outcome twice;
/// - **batch independence** (stateless stages): a record's outcome does not depend on what else
///   is processed, or in which order;
/// - **thread safety** (stateless stages): outcomes computed on several threads at once equal the
///   serial ones.
///
/// Returns the problems found, as sentences; an empty list means the stage kept its contract on
/// these records.
public enum StageVerifier {
    public static func verify(_ stage: any Stage, records: [Record], seed: UInt64 = 42) -> [String] {
        var problems: [String] = []
        let serial = records.map { describe(stage, $0) }
        for (i, r) in records.enumerated() where describe(stage, r) != serial[i] {
            problems.append("record \(r.id): a second call gave a different outcome")
        }
        guard stage is any StatelessStage else { return problems }
        var rng = SplitMix64(seed: seed)
        var order = Array(records.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        for i in order where describe(stage, records[i]) != serial[i] {
            problems.append("record \(records[i].id): the outcome changed when records came in another order")
        }
        let parallel = ParallelOutcomes(count: records.count)
        DispatchQueue.concurrentPerform(iterations: records.count) { i in
            parallel.set(i, describe(stage, records[i]))
        }
        for i in records.indices where parallel.get(i) != serial[i] {
            problems.append("record \(records[i].id): the outcome computed on another thread differs")
        }
        return problems
    }

    /// An outcome as comparable text (records as canonical JSON).
    static func describe(_ stage: any Stage, _ record: Record) -> String {
        func rec(_ r: Record) -> String { "\(r.id)|\(r.parent ?? "")|\(r.kind)|" + JSONWriter.string(r.value, options: .init(sortedKeys: true)) }
        do {
            switch try stage.process(record) {
            case .pass(let r, let notes): return "pass " + rec(r) + " \(notes)"
            case .emit(let p, let children, let notes): return "emit " + rec(p) + children.map(rec).joined(separator: ";") + " \(notes)"
            case .derive(let p, let children, let notes): return "derive " + rec(p) + children.map(rec).joined(separator: ";") + " \(notes)"
            case .drop(let r, let reason): return "drop " + rec(r) + " \(reason)"
            case .quarantine(let f): return "quarantine \(f.code) \(f.message) \(f.pointer ?? "")"
            }
        } catch let f as RecordFailure {
            return "quarantine \(f.code) \(f.message) \(f.pointer ?? "")"
        } catch {
            return "error \(error)"
        }
    }
}

private final class ParallelOutcomes: Sendable {
    private let values: Locked<[String]>
    init(count: Int) { values = Locked(Array(repeating: "", count: count)) }
    func set(_ i: Int, _ v: String) { values.withLock { $0[i] = v } }
    func get(_ i: Int) -> String { values.withLock { $0[i] } }
}
