import SluiceCore
import SluiceMap

/// `when:` and `inputs:` on every stage and output: the loader wraps the component so that it
/// applies only to the records selected, and adds a routing stage that drops records no output
/// takes (reason `unrouted`).
extension PipelineLoader {
    /// Keys every stage and output accepts besides its own options.
    static let selectorKeys: Set<String> = ["type", "name", "when", "inputs"]

    /// The stage, wrapped when its options select records. A stage with its own `when` option
    /// (`filter`) keeps it for itself.
    static func selective(_ stage: any Stage, _ descriptor: ComponentDescriptor, _ options: ComponentOptions,
                          inputNames: [String]) throws -> any Stage {
        let (selector, problems) = RecordSelector.parse(options.node, inputNames: inputNames, ownsWhen: descriptor.field("when") != nil)
        if !problems.isEmpty { throw ConfigDiagnostics(problems) }
        return selector.map { SelectiveStage.wrapping(stage, selector: $0) } ?? stage
    }

    static func selective(_ output: any Output, _ options: ComponentOptions, inputNames: [String]) throws -> any Output {
        let (selector, problems) = RecordSelector.parse(options.node, inputNames: inputNames, ownsWhen: false)
        if !problems.isEmpty { throw ConfigDiagnostics(problems) }
        return selector.map { SelectiveOutput(output, selector: $0) } ?? output
    }

    /// The stages plus a routing stage when some output selects records; a warning when every
    /// output selects (records matching none are then dropped as `unrouted`).
    static func addingRouting(to stages: [PipelinePlan.Named<any Stage>], outputs: [PipelinePlan.Named<any Output>],
                              root: ConfigNode, diagnostics: inout [ConfigDiagnostic]) -> [PipelinePlan.Named<any Stage>] {
        let selectors = outputs.map { (name: $0.name, selector: ($0.component as? SelectiveOutput)?.selector) }
        guard selectors.contains(where: { $0.selector != nil }) else { return stages }
        if selectors.allSatisfy({ $0.selector != nil }) {
            diagnostics.append(ConfigDiagnostic(
                .warning, code: "unrouted_records",
                message: "every output has 'when:' or 'inputs:', so a record that matches none of them is dropped as unrouted",
                location: root["outputs"]?.location, path: "/outputs",
                hint: "add an output without 'when:' (for example a jsonl file) to keep every record"))
        }
        let routing: any Stage = RoutingStage(outputs: selectors)
        return stages + [PipelinePlan.Named(name: "(routing)", type: "(routing)", component: routing)]
    }
}
