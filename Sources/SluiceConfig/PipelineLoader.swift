public import Foundation
public import SluiceCore

/// Turns a pipeline file into a `PipelinePlan`, collecting every problem on the way.
///
/// Loading never stops at the first error: YAML syntax, unknown keys (with did-you-mean), wrong
/// types, missing options, unknown component types, duplicate names, unset environment variables
/// and missing files are all reported together, each with file, line and column.
public struct PipelineLoader: Sendable {
    public var registry: ComponentRegistry
    public var environment: [String: String]
    /// The credentials file's contents, handed to every component's `BuildContext`.
    public var credentials: CredentialStore?

    public init(registry: ComponentRegistry, environment: [String: String] = ProcessInfo.processInfo.environment,
                credentials: CredentialStore? = nil) {
        self.registry = registry
        self.environment = environment
        self.credentials = credentials
    }

    public struct Result: Sendable {
        /// The plan, when there were no errors.
        public var plan: PipelinePlan?
        public var diagnostics: [ConfigDiagnostic]
        /// The file's text, for rendering snippets under diagnostics.
        public var sourceText: String?
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Loads `file`. `displayPath` is how the file is named in diagnostics (as the user typed it).
    public func load(file: URL, displayPath: String? = nil) -> Result {
        let shown = displayPath ?? file.path
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let exists = FileManager.default.fileExists(atPath: file.path)
            return Result(plan: nil, diagnostics: [ConfigDiagnostic(
                code: exists ? "unreadable_file" : "missing_file",
                message: exists ? "cannot read the pipeline file" : "no pipeline file at \(file.path)",
                location: nil, path: "")], sourceText: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Result(plan: nil, diagnostics: [ConfigDiagnostic(
                code: "not_utf8", message: "the pipeline file is not valid UTF-8",
                location: SourceLocation(file: shown, line: 1, column: 1), path: "")], sourceText: nil)
        }
        var result = load(text: text, displayPath: shown, file: file)
        result.plan?.provenance.pipelineSHA256 = ContentHash.sha256Hex(data)
        return result
    }

    /// Loads pipeline text; relative paths resolve against `file`'s folder (or the current folder).
    public func load(text: String, displayPath: String, file: URL?) -> Result {
        let (root, yamlDiagnostics) = YAMLDocument(file: displayPath, text: text, environment: environment).parse()
        var diagnostics = yamlDiagnostics
        guard let root else { return Result(plan: nil, diagnostics: diagnostics, sourceText: text) }
        guard let entries = root.entries else {
            diagnostics.append(.error("wrong_type", "a pipeline file is a mapping with inputs, stages and outputs, not \(root.kindName)", at: root))
            return Result(plan: nil, diagnostics: diagnostics, sourceText: text)
        }
        for e in entries where !PipelineSections.topLevelKeys.contains(e.key) {
            let hint = Suggestion.closest(to: e.key, among: PipelineSections.topLevelKeys).map { "did you mean '\($0)'?" }
            diagnostics.append(ConfigDiagnostic(code: "unknown_key", message: "unknown top-level key '\(e.key)'",
                                                location: e.keyLocation, path: e.value.path,
                                                hint: hint ?? "known keys: " + PipelineSections.topLevelKeys.joined(separator: ", ")))
        }

        let fileFolder = file?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let name = scalar(root["name"], &diagnostics) ?? file?.deletingPathExtension().lastPathComponent ?? "pipeline"
        if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) {
            diagnostics.append(.error("invalid_value", "pipeline name '\(name)' may hold only letters, digits, '-', '_' and '.' (it names the state folder)", at: root["name"] ?? root))
        }
        _ = scalar(root["description"], &diagnostics)
        let base: URL = {
            guard let b = scalar(root["base_dir"], &diagnostics) else { return fileFolder }
            return b.hasPrefix("/") ? URL(fileURLWithPath: b) : fileFolder.appendingPathComponent(b).standardizedFileURL
        }()
        let linter = OptionsLinter(baseDirectory: base, commonKeys: [])

        // Sections that are not components.
        let limitsNode = section(root, "limits", PipelineSections.limits, linter, &diagnostics)
        let quarantineNode = section(root, "quarantine", PipelineSections.quarantine, linter, &diagnostics)
        let stateNode = section(root, "state", PipelineSections.state, linter, &diagnostics)
        let auditNode = section(root, "audit", PipelineSections.audit, linter, &diagnostics)

        let context = { (instance: String) in BuildContext(pipeline: name, instanceName: instance, baseDirectory: base, credentials: credentials) }
        let componentLinter = OptionsLinter(baseDirectory: base)
        let inputs: [PipelinePlan.Named<any Input>] = components(root, kind: .input, required: true, linter: componentLinter, diagnostics: &diagnostics) { type, name, options in
            try type.input!.init(options: options, context: context(name))
        }
        let selectorLinter = OptionsLinter(baseDirectory: base, commonKeys: Self.selectorKeys)
        let inputNames = inputs.map(\.name)
        let stages: [PipelinePlan.Named<any Stage>] = components(root, kind: .stage, required: false, linter: selectorLinter, diagnostics: &diagnostics) { type, name, options in
            try Self.selective(try type.stage!.init(options: options, context: context(name)), type.descriptor, options, inputNames: inputNames)
        }
        let outputs: [PipelinePlan.Named<any Output>] = components(root, kind: .output, required: true, linter: selectorLinter, diagnostics: &diagnostics) { type, name, options in
            try Self.selective(try type.output!.init(options: options, context: context(name)), options, inputNames: inputNames)
        }
        let routedStages = Self.addingRouting(to: stages, outputs: outputs, root: root, diagnostics: &diagnostics)

        var limits = Limits()
        var quarantinePath = base.appendingPathComponent("out/quarantine.jsonl")
        var keepOriginal = true
        var stateDir = base.appendingPathComponent(".sluice").appendingPathComponent(name)
        var audit = AuditPlan()
        do {
            let l = ComponentOptions(node: limitsNode, fields: PipelineSections.limits)
            if let v = try l.int("max_record_bytes") { limits.maxRecordBytes = v }
            if let v = try l.int("max_depth") { limits.maxDepth = v }
            if let v = try l.int("max_decompressed_bytes") { limits.maxDecompressedBytes = v }
            if let v = try l.int("batch_size") { limits.batchSize = v }
            if let v = try l.int("max_batch_bytes") { limits.maxBatchBytes = v }
            if let v = try l.int("parallelism") { limits.parallelism = v }
            limits.maxQuarantineRatio = try l.double("max_quarantine_ratio")
            limits.maxQuarantined = try l.int("max_quarantined")
            let q = ComponentOptions(node: quarantineNode, fields: PipelineSections.quarantine)
            if let p = try q.string("path") { quarantinePath = resolve(p, base) }
            keepOriginal = try q.bool("keep_original") ?? true
            let s = ComponentOptions(node: stateNode, fields: PipelineSections.state)
            if s.isSet("dir"), let d = try s.string("dir") { stateDir = resolve(d, base) }
            let a = ComponentOptions(node: auditNode, fields: PipelineSections.audit)
            audit.enabled = try a.bool("enabled") ?? true
            audit.recordContent = try a.bool("record_content") ?? false
            if a.isSet("key_file"), let k = try a.string("key_file") { audit.keyFile = resolve(k, base) }
        } catch let d as ConfigDiagnostic {
            diagnostics.append(d)
        } catch {
            diagnostics.append(.error("invalid_value", "\(error)", at: root))
        }

        var plan = PipelinePlan(name: name, file: file, baseDirectory: base, stateDirectory: stateDir,
                                inputs: inputs, stages: routedStages, outputs: outputs, quarantinePath: quarantinePath,
                                quarantineKeepsOriginal: keepOriginal, limits: limits, audit: audit)
        plan.provenance = RunProvenance.of(root: root, base: base)
        let failed = diagnostics.contains { $0.severity == .error }
        return Result(plan: failed ? nil : plan, diagnostics: diagnostics, sourceText: text)
    }

    private func resolve(_ p: String, _ base: URL) -> URL {
        p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p).standardizedFileURL
    }

    private func scalar(_ node: ConfigNode?, _ diagnostics: inout [ConfigDiagnostic]) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let s = node.scalar else {
            diagnostics.append(.error("wrong_type", "must be a string, not \(node.kindName)", at: node))
            return nil
        }
        return s
    }

    private func section(_ root: ConfigNode, _ key: String, _ fields: [FieldSpec], _ linter: OptionsLinter,
                         _ diagnostics: inout [ConfigDiagnostic]) -> ConfigNode {
        guard let node = root[key], !node.isNull else { return ConfigNode(.mapping([]), path: "/" + key) }
        diagnostics += linter.lint(node, fields: fields, label: "'\(key)'")
        return node.entries == nil ? ConfigNode(.mapping([]), path: "/" + key) : node
    }

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

    private func components<C>(_ root: ConfigNode, kind: ComponentDescriptor.Kind, required: Bool, linter: OptionsLinter,
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
            if problems.contains(where: { $0.severity == .error }) { continue }
            do {
                let component = try build(type, instance, ComponentOptions(node: item, fields: type.descriptor.fields))
                if let check = component as? any PreflightCheckable { diagnostics += check.preflight() }
                result.append(PipelinePlan.Named(name: instance, type: typeName, component: component))
            } catch let d as ConfigDiagnostic {
                diagnostics.append(d)
            } catch let ds as ConfigDiagnostics {
                diagnostics += ds.diagnostics
            } catch {
                diagnostics.append(.error("invalid_component", "\(label) cannot be built: \(error)", at: item))
            }
        }
        return result
    }
}
