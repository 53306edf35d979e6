import SluiceCore

/// Building the `inputs`, `stages` and `outputs` sections.
extension PipelineLoader {
    /// A registered type of any kind, so that one function builds all three sections.
    struct AnyType {
        var input: (any Input.Type)?
        var stage: (any Stage.Type)?
        var output: (any Output.Type)?
        var descriptor: ComponentDescriptor
    }

    private func lookup(_ kind: ComponentDescriptor.Kind, _ name: String) -> AnyType? {
        switch kind {
        case .input: return registry.inputs[name].map { AnyType(input: $0, descriptor: $0.descriptor) }
        case .stage: return registry.stages[name].map { AnyType(stage: $0, descriptor: $0.descriptor) }
        case .output: return registry.outputs[name].map { AnyType(output: $0, descriptor: $0.descriptor) }
        }
    }

    /// Every entry of the section, linted and built. A component whose options have errors is
    /// still built from the options that passed (the others left out, their defaults in their
    /// place), so that its own checks and its preflight report in the same pass; what they say
    /// about a left-out option is not repeated. Every component that could be built is returned
    /// (so that `inputs:` naming one is not reported as unknown); with errors there is no plan.
    func components<C>(_ root: ConfigNode, kind: ComponentDescriptor.Kind, required: Bool, linter: OptionsLinter,
                       diagnostics: inout [ConfigDiagnostic],
                       build: (AnyType, String, ComponentOptions) throws -> C) -> [PipelinePlan.Named<C>] {
        let key = kind.plural
        guard let node = root[key], !node.isNull else {
            if required {
                diagnostics.append(.error("missing_section", "a pipeline needs '\(key)': at least one \(kind.rawValue)", at: root, path: "/" + key))
            }
            return []
        }
        guard let items = node.items else {
            diagnostics.append(.error("wrong_type", "'\(key)' must be a list of \(key), not \(node.kindName)", at: node))
            return []
        }
        if items.isEmpty && required {
            diagnostics.append(.error("missing_section", "'\(key)' is empty: a pipeline needs at least one \(kind.rawValue)", at: node))
        }
        var result: [PipelinePlan.Named<C>] = []
        var names: [String: ConfigNode] = [:]
        for item in items {
            guard item.entries != nil else {
                diagnostics.append(.error("wrong_type", "each entry of '\(key)' must be a mapping with a 'type', not \(item.kindName)", at: item))
                continue
            }
            guard let typeNode = item["type"], let typeName = typeNode.scalar else {
                let known = registry.names(kind).joined(separator: ", ")
                diagnostics.append(.error("missing_type", "this \(kind.rawValue) has no 'type' (one of: \(known))", at: item, path: item.path + "/type"))
                continue
            }
            guard let type = lookup(kind, typeName) else {
                let hint = Suggestion.closest(to: typeName, among: registry.names(kind)).map { "did you mean '\($0)'?" }
                diagnostics.append(.error("unknown_component", "unknown \(kind.rawValue) type '\(typeName)'", at: typeNode,
                                          hint: hint ?? "known \(key): " + registry.names(kind).joined(separator: ", ")))
                continue
            }
            let instance = item["name"]?.scalar ?? typeName
            if let first = names[instance] {
                diagnostics.append(.error("duplicate_name", "two \(key) are named '\(instance)' (the first at line \(first.location?.line ?? 0)); give each a distinct 'name'",
                                          at: item["name"] ?? typeNode))
                continue
            }
            names[instance] = item["name"] ?? typeNode
            let label = "\(kind.rawValue) '\(instance)'"
            let problems = linter.lint(item, fields: type.descriptor.fields, label: label)
            diagnostics += problems
            let withheld = Set(problems.filter { $0.severity == .error }.map(\.path))
            var found: [ConfigDiagnostic] = []
            var built: C?
            do {
                let component = try build(type, instance, ComponentOptions(node: item.withholding(withheld), fields: type.descriptor.fields))
                if let check = component as? any PreflightCheckable { found += check.preflight() }
                built = component
            } catch let d as ConfigDiagnostic {
                found.append(d)
            } catch let ds as ConfigDiagnostics {
                found += ds.diagnostics
            } catch {
                found.append(.error("invalid_component", "\(label) cannot be built: \(error)", at: item))
            }
            diagnostics += found.filter { !$0.restsOn(withheld: withheld) }
            if let built {
                result.append(PipelinePlan.Named(name: instance, type: typeName, component: built))
            }
        }
        return result
    }
}
