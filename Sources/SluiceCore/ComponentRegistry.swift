/// The components a pipeline may name, by kind and type name.
///
/// A value built from an explicit list (see `Sluice.builtinComponents`), so tests build their own.
/// Two components of one kind with the same name are an error.
public struct ComponentRegistry: Sendable {
    public private(set) var inputs: [String: any Input.Type] = [:]
    public private(set) var stages: [String: any Stage.Type] = [:]
    public private(set) var outputs: [String: any Output.Type] = [:]

    public enum Entry: Sendable {
        case input(any Input.Type)
        case stage(any Stage.Type)
        case output(any Output.Type)

        public var descriptor: ComponentDescriptor {
            switch self {
            case .input(let t): return t.descriptor
            case .stage(let t): return t.descriptor
            case .output(let t): return t.descriptor
            }
        }
    }

    public struct DuplicateName: Error, CustomStringConvertible {
        public var kind: ComponentDescriptor.Kind
        public var name: String
        public var description: String { "two \(kind.plural) are registered as '\(name)'" }
    }

    public init(_ entries: [Entry]) throws(DuplicateName) {
        for e in entries {
            let d = e.descriptor
            switch e {
            case .input(let t):
                if inputs[d.name] != nil { throw DuplicateName(kind: .input, name: d.name) }
                inputs[d.name] = t
            case .stage(let t):
                if stages[d.name] != nil { throw DuplicateName(kind: .stage, name: d.name) }
                stages[d.name] = t
            case .output(let t):
                if outputs[d.name] != nil { throw DuplicateName(kind: .output, name: d.name) }
                outputs[d.name] = t
            }
        }
    }

    public func names(_ kind: ComponentDescriptor.Kind) -> [String] {
        switch kind {
        case .input: return inputs.keys.sorted()
        case .stage: return stages.keys.sorted()
        case .output: return outputs.keys.sorted()
        }
    }

    public func descriptor(_ kind: ComponentDescriptor.Kind, _ name: String) -> ComponentDescriptor? {
        switch kind {
        case .input: return inputs[name]?.descriptor
        case .stage: return stages[name]?.descriptor
        case .output: return outputs[name]?.descriptor
        }
    }

    /// Every descriptor, inputs first, then stages, then outputs, each sorted by name.
    public var allDescriptors: [ComponentDescriptor] {
        ComponentDescriptor.Kind.allCases.flatMap { k in names(k).compactMap { descriptor(k, $0) } }
    }
}
