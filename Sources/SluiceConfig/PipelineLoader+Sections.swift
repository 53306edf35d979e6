import Foundation
import SluiceCore

/// The sections of a pipeline file that are not components: `limits`, `quarantine`, `state`,
/// `audit`. Each is linted against `PipelineSections`, then every option that passed is read,
/// so that one wrong option never hides the next one.
extension PipelineLoader {
    struct Sections {
        var limits = Limits()
        var quarantinePath: URL
        var keepOriginal = true
        var stateDirectory: URL
        var audit = AuditPlan()
    }

    /// The section `key` linted against `fields`, without the options that were reported (an
    /// empty mapping when the section is absent or not a mapping).
    func section(_ root: ConfigNode, _ key: String, _ fields: [FieldSpec], _ linter: OptionsLinter,
                 _ diagnostics: inout [ConfigDiagnostic]) -> ConfigNode {
        guard let node = root[key], !node.isNull else { return ConfigNode(.mapping([]), path: "/" + key) }
        let problems = linter.lint(node, fields: fields, label: "'\(key)'")
        diagnostics += problems
        guard node.entries != nil else { return ConfigNode(.mapping([]), path: "/" + key) }
        return node.withholding(Set(problems.filter { $0.severity == .error }.map(\.path)))
    }

    func readSections(limits: ConfigNode, quarantine: ConfigNode, state: ConfigNode, audit: ConfigNode,
                      name: String, base: URL, diagnostics: inout [ConfigDiagnostic]) -> Sections {
        var out = Sections(quarantinePath: base.appendingPathComponent("out/quarantine.jsonl"),
                           stateDirectory: base.appendingPathComponent(".sluice").appendingPathComponent(name))
        /// Each option on its own: a problem is reported and the next option still read.
        func read<T>(_ get: () throws -> T?) -> T? {
            do { return try get() } catch let d as ConfigDiagnostic {
                diagnostics.append(d)
            } catch {
                diagnostics.append(.error("invalid_value", "\(error)", at: nil))
            }
            return nil
        }
        let l = ComponentOptions(node: limits, fields: PipelineSections.limits)
        let integers: [(String, WritableKeyPath<Limits, Int>)] = [
            ("max_record_bytes", \.maxRecordBytes), ("max_depth", \.maxDepth), ("max_decompressed_bytes", \.maxDecompressedBytes),
            ("batch_size", \.batchSize), ("max_batch_bytes", \.maxBatchBytes), ("parallelism", \.parallelism),
        ]
        for (option, field) in integers {
            if let v = read({ try l.int(option) }) { out.limits[keyPath: field] = v }
        }
        out.limits.maxQuarantineRatio = read { try l.double("max_quarantine_ratio") }
        out.limits.maxQuarantined = read { try l.int("max_quarantined") }

        let q = ComponentOptions(node: quarantine, fields: PipelineSections.quarantine)
        if let p = read({ try q.string("path") }) { out.quarantinePath = resolve(p, base) }
        if let k = read({ try q.bool("keep_original") }) { out.keepOriginal = k }

        let s = ComponentOptions(node: state, fields: PipelineSections.state)
        if s.isSet("dir"), let d = read({ try s.string("dir") }) { out.stateDirectory = resolve(d, base) }

        let a = ComponentOptions(node: audit, fields: PipelineSections.audit)
        if let e = read({ try a.bool("enabled") }) { out.audit.enabled = e }
        if let r = read({ try a.bool("record_content") }) { out.audit.recordContent = r }
        if a.isSet("key_file"), let k = read({ try a.string("key_file") }) { out.audit.keyFile = resolve(k, base) }
        return out
    }

    func resolve(_ p: String, _ base: URL) -> URL {
        p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p).standardizedFileURL
    }
}
