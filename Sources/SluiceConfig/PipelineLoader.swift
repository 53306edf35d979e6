public import Foundation
public import SluiceCore

/// Turns a pipeline file into a `PipelinePlan`, collecting every problem on the way.
///
/// Loading never stops at the first error: YAML syntax, unknown keys (with did-you-mean), wrong
/// types, values out of range, missing options, unknown component types, duplicate names, unset
/// environment variables, missing files, paths that cannot be created, and each component's own
/// checks (cross-field rules, globs that match nothing) are all reported together, each once,
/// with file, line and column. A component's own checks run on the options that passed the lint.
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
        diagnostics += Self.fieldConflicts(in: stages)
        let routedStages = Self.addingRouting(to: stages, outputs: outputs, root: root, diagnostics: &diagnostics)

        let sections = readSections(limits: limitsNode, quarantine: quarantineNode, state: stateNode, audit: auditNode,
                                    name: name, base: base, diagnostics: &diagnostics)

        var plan = PipelinePlan(name: name, file: file, baseDirectory: base, stateDirectory: sections.stateDirectory,
                                inputs: inputs, stages: routedStages, outputs: outputs, quarantinePath: sections.quarantinePath,
                                quarantineKeepsOriginal: sections.keepOriginal, limits: sections.limits, audit: sections.audit)
        plan.provenance = RunProvenance.of(root: root, base: base)
        diagnostics = ConfigDiagnostic.unique(diagnostics)
        let failed = diagnostics.contains { $0.severity == .error }
        return Result(plan: failed ? nil : plan, diagnostics: diagnostics, sourceText: text)
    }

    private func scalar(_ node: ConfigNode?, _ diagnostics: inout [ConfigDiagnostic]) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let s = node.scalar else {
            diagnostics.append(.error("wrong_type", "must be a string, not \(node.kindName)", at: node))
            return nil
        }
        return s
    }
}
