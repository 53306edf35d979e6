import SluiceCore
import SluiceMap

/// Schema awareness (issue 13 item 6): a field that a stage sets (a `map` assignment, a
/// `rename_fields` target) and that a later stage's schema refuses is reported at the place in
/// the pipeline file that sets it. An error when every record reaching the later stage gets the
/// field; a warning when only some may (inside `if`, behind `when:`, a rename, a stage between
/// them whose effect on fields is unknown or that may remove the field).
extension PipelineLoader {
    static func fieldConflicts(in stages: [PipelinePlan.Named<any Stage>]) -> [ConfigDiagnostic] {
        var diagnostics: [ConfigDiagnostic] = []
        for (j, checker) in stages.enumerated() {
            let (target, targetSelector) = unwrap(checker.component)
            guard let constraint = target as? any FieldConstraining else { continue }
            var reaching = FieldEffects()
            for earlier in stages[..<j] {
                let (stage, selector) = unwrap(earlier.component)
                // Records of other inputs never meet the later stage.
                if let a = selector?.inputs, let b = targetSelector?.inputs, a.isDisjoint(with: b) { continue }
                guard let effects = (stage as? any FieldEffecting)?.fieldEffects else {
                    reaching.blur()
                    continue
                }
                reaching.append(effects, conditional: selector != nil, certainWrites: !(selector?.hasCondition ?? false))
            }
            let targetConditional = targetSelector?.hasCondition ?? false
            for write in reaching.writes {
                guard let conflict = constraint.conflict(with: write) else { continue }
                let certain = write.certain && !targetConditional
                let schemaPlace = conflict.keywordLocation.map { " (\($0))" } ?? ""
                diagnostics.append(ConfigDiagnostic(
                    certain ? .error : .warning, code: "field_refused",
                    message: "\(write.origin) sets a field that stage '\(checker.name)' refuses: \(conflict.message)",
                    location: write.location, path: "/stages",
                    hint: certain
                        ? "every record reaching '\(checker.name)' would fail it; set another field or allow this one in the schema\(schemaPlace)"
                        : "records that get this field would fail '\(checker.name)'\(schemaPlace)"))
            }
        }
        return diagnostics
    }

    /// The stage inside a `when:`/`inputs:` wrapper, and the wrapper's selector.
    private static func unwrap(_ stage: any Stage) -> (any Stage, RecordSelector?) {
        if let selective = stage as? SelectiveStage { return (selective.inner, selective.selector) }
        if let selective = (stage as? SelectiveStatefulStage)?.selective { return (selective.inner, selective.selector) }
        if let selective = stage as? SelectiveStatefulStage { return (selective.selective.inner, selective.selective.selector) }
        return (stage, nil)
    }
}
