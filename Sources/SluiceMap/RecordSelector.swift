public import Foundation
public import SluiceCore
public import SluiceJSON

/// Which records a stage or an output applies to: `inputs:` (names of pipeline inputs) and
/// `when:` (a condition of the mapping language). Both must hold when both are given.
public struct RecordSelector: Sendable {
    public var inputs: Set<String>?
    let condition: (program: MapProgram, sourceMap: MapSourceMap)?

    /// The selector of a component's options (`when:`, `inputs:`), nil when it has neither.
    /// Problems (an unknown input, a mapping error) are returned as diagnostics.
    public static func parse(_ item: ConfigNode, inputNames: [String], ownsWhen: Bool) -> (RecordSelector?, [ConfigDiagnostic]) {
        var diagnostics: [ConfigDiagnostic] = []
        var inputs: Set<String>? = nil
        if let node = item["inputs"], !node.isNull {
            let names: [ConfigNode] = node.items ?? [node]
            inputs = []
            for n in names {
                guard let name = n.scalar else {
                    diagnostics.append(.error("wrong_type", "'inputs' lists input names, not \(n.kindName)", at: n))
                    continue
                }
                if !inputNames.contains(name) {
                    let hint = Suggestion.closest(to: name, among: inputNames).map { "did you mean '\($0)'?" }
                    diagnostics.append(.error("unknown_input", "'inputs' names '\(name)', which is not an input of this pipeline", at: n,
                                              hint: hint ?? "inputs: " + inputNames.joined(separator: ", ")))
                }
                inputs?.insert(name)
            }
        }
        var condition: (MapProgram, MapSourceMap)? = nil
        if !ownsWhen, let node = item["when"], !node.isNull {
            if let text = node.scalar {
                let map = MapSourceMap(node: node, source: text)
                do {
                    let program = try MapProgram(source: text)
                    if program.mayYieldNonBoolean {
                        diagnostics.append(.error("map_type_error", "'when' must be a condition that gives true or false", at: node))
                    }
                    condition = (program, map)
                } catch {
                    diagnostics += map.diagnostics(error, option: "when").diagnostics
                }
            } else {
                diagnostics.append(.error("wrong_type", "'when' must be a condition (a string), not \(node.kindName)", at: node))
            }
        }
        if inputs == nil && condition == nil { return (nil, diagnostics) }
        return (RecordSelector(inputs: inputs, condition: condition), diagnostics)
    }

    /// Whether the record is selected; a condition that fails gives the record's quarantine entry.
    public func matches(_ record: Record, now: Date) -> Result<Bool, RecordFailure> {
        if let inputs, !inputs.contains(record.provenance.input) { return .success(false) }
        guard let condition else { return .success(true) }
        return RecordCondition.evaluate(condition.program, condition.sourceMap, record, now: now)
    }
}

/// A stage that applies only to selected records; the others pass through untouched. Wraps a
/// stateless stage; `SelectiveStatefulStage` wraps a stateful one.
public struct SelectiveStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(kind: .stage, name: "(selective)", summary: "A stage with when:/inputs:.", fields: [])
    public init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("internal", "SelectiveStage is built by the pipeline loader", at: options.node)
    }

    public let inner: any Stage
    public let selector: RecordSelector
    let clock = RunClock()

    public init(_ inner: any Stage, selector: RecordSelector) {
        self.inner = inner
        self.selector = selector
    }

    /// `inner` applied to the records `selector` takes, of the same kind as `inner`.
    public static func wrapping(_ inner: any Stage, selector: RecordSelector) -> any Stage {
        let selective = SelectiveStage(inner, selector: selector)
        if let stateful = inner as? any StatefulStage { return SelectiveStatefulStage(selective, stateful: stateful) }
        return selective
    }

    public func begin(run: RunContext, state: any StageStateReader) throws {
        clock.set(run.time)
        try inner.begin(run: run, state: state)
    }
    public func process(_ record: Record) throws -> StageOutcome {
        switch selector.matches(record, now: clock.now()) {
        case .success(true): return try inner.process(record)
        case .success(false): return .pass(record)
        case .failure(let f): return .quarantine(f)
        }
    }
}

/// A stateful stage that applies only to selected records.
public struct SelectiveStatefulStage: StatefulStage {
    public static let descriptor = SelectiveStage.descriptor
    public init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("internal", "SelectiveStatefulStage is built by the pipeline loader", at: options.node)
    }

    public let selective: SelectiveStage
    let stateful: any StatefulStage

    init(_ selective: SelectiveStage, stateful: any StatefulStage) {
        self.selective = selective
        self.stateful = stateful
    }

    public func begin(run: RunContext, state: any StageStateReader) throws { try selective.begin(run: run, state: state) }
    public func process(_ record: Record) throws -> StageOutcome { try selective.process(record) }
    public func finish() throws -> [StageOutcome] { try stateful.finish() }
    public func stateWrites(accepted: Set<String>) -> [StateWrite] { stateful.stateWrites(accepted: accepted) }
    public func forget(rejected: Set<String>) { stateful.forget(rejected: rejected) }
}

/// The last stage of a pipeline whose outputs select records: a record that no output takes is
/// dropped with reason `unrouted` (so the ledger balances and the audit says why); a record whose
/// output condition fails is quarantined.
public struct RoutingStage: Stage {
    public static let descriptor = ComponentDescriptor(kind: .stage, name: "(routing)", summary: "Drops records no output takes.", fields: [])
    public init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("internal", "RoutingStage is built by the pipeline loader", at: options.node)
    }

    /// One entry per output; nil takes every record.
    let selectors: [(name: String, selector: RecordSelector?)]
    let clock = RunClock()

    public init(outputs: [(name: String, selector: RecordSelector?)]) { selectors = outputs }

    public func begin(run: RunContext, state: any StageStateReader) throws { clock.set(run.time) }

    public func process(_ record: Record) throws -> StageOutcome {
        let now = clock.now()
        for (_, selector) in selectors {
            guard let selector else { return .pass(record) }
            switch selector.matches(record, now: now) {
            case .success(true): return .pass(record)
            case .success(false): continue
            case .failure(let f): return .quarantine(f)
            }
        }
        return .drop(record, DropReason(code: "unrouted", details: .object(JSONObject([
            ("outputs", .array(selectors.map { .string($0.name) })),
        ]))))
    }
}

/// An output that writes only the records its selector takes.
public struct SelectiveOutput: Output {
    public static let descriptor = ComponentDescriptor(kind: .output, name: "(selective)", summary: "An output with when:/inputs:.", fields: [])
    public init(options: ComponentOptions, context: BuildContext) throws {
        throw ConfigDiagnostic.error("internal", "SelectiveOutput is built by the pipeline loader", at: options.node)
    }

    public let inner: any Output
    public let selector: RecordSelector

    public init(_ inner: any Output, selector: RecordSelector) {
        self.inner = inner
        self.selector = selector
    }

    public func open(checkpoint: Checkpoint?, context: RunContext) throws -> any OutputWriter {
        SelectiveWriter(inner: try inner.open(checkpoint: checkpoint, context: context), selector: selector, time: context.time)
    }
}

final class SelectiveWriter: OutputWriter {
    let inner: any OutputWriter
    public let selector: RecordSelector
    let time: any TimeSource

    init(inner: any OutputWriter, selector: RecordSelector, time: any TimeSource) {
        self.inner = inner
        self.selector = selector
        self.time = time
    }

    func write(_ records: [Record]) throws {
        let now = time.now()
        let taken = records.filter { if case .success(true) = selector.matches($0, now: now) { return true } else { return false } }
        if !taken.isEmpty { try inner.write(taken) }
    }
    func commit() throws -> Checkpoint? { try inner.commit() }
    func finish() throws { try inner.finish() }
    var destination: String { inner.destination }
    func supersede(ids: [String], by newID: String) throws { try inner.supersede(ids: ids, by: newID) }
}
