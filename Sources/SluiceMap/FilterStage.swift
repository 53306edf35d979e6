public import Foundation
public import SluiceCore
import SluiceJSON

/// The `filter` stage: keeps the records for which `when:` is true.
public struct FilterStage: StatelessStage {
    public static let descriptor = ComponentDescriptor(
        kind: .stage, name: "filter",
        summary: "Keeps the records for which a condition holds; drops the others with reason `filtered`.",
        description: """
            `when` is an expression of the mapping language (docs/mapping.md) that must give a \
            boolean: `.lang == "en" && length(.body ?? "") > 20`. Records for which it is false are \
            dropped with reason `filtered` and the filter's name (counted in the ledger, recorded in \
            the audit trail and the report). A record on which the expression fails, or gives \
            something other than a boolean, is quarantined with code `map_error`. The record is never \
            changed. Stateless: runs on all cores.
            """,
        fields: [
            FieldSpec("when", .string, doc: "The condition; records for which it is false are dropped.", required: true,
                      example: "%kind == \"record\" && .lang == \"en\""),
        ],
        examples: ["""
            - type: filter
              name: english_only
              when: .lang == "en"
            """])

    let program: MapProgram
    let sourceMap: MapSourceMap
    let name: String
    let clock = RunClock()

    public init(options: ComponentOptions, context: BuildContext) throws {
        let text = try options.requiredString("when")
        let node = options.node["when"] ?? options.node
        sourceMap = MapSourceMap(node: node, source: text)
        do { program = try MapProgram(source: text) } catch { throw sourceMap.diagnostics(error, option: "when") }
        if program.mayYieldNonBoolean {
            throw ConfigDiagnostic.error("map_type_error", "'when' must be a condition that gives true or false", at: node)
        }
        name = context.instanceName
    }

    public func begin(run: RunContext, state: any StageStateReader) throws { clock.set(run.time) }

    public func process(_ record: Record) throws -> StageOutcome {
        switch RecordCondition.evaluate(program, sourceMap, record, now: clock.now()) {
        case .success(true): return .pass(record)
        case .success(false): return .drop(record, DropReason(code: "filtered", details: .object(JSONObject([("filter", .string(name))]))))
        case .failure(let f): return .quarantine(f)
        }
    }
}

/// Evaluating a condition (`filter`'s and every stage's and output's `when:`) on one record.
public enum RecordCondition {
    public static func evaluate(_ program: MapProgram, _ sourceMap: MapSourceMap, _ record: Record, now: Date) -> Result<Bool, RecordFailure> {
        do {
            let r = try program.run(record.value, metadata: MapMetadata(record: record), now: now)
            guard case .bool(let b) = r.last else {
                return .failure(sourceMap.failure(MapFailure(message: "the condition gave \(TypeSet.of(r.last).name), not a boolean", offset: 0), record: record))
            }
            return .success(b)
        } catch {
            return .failure(sourceMap.failure(error, record: record))
        }
    }
}
