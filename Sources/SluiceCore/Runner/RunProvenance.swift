public import Foundation
public import SluiceJSON

/// The Sluice release, recorded in every `run_started` audit event.
public enum SluiceVersion {
    public static let current = "0.1.0"
}

/// Which rules a run applied, as the `run_started` audit event records them: the pipeline file's
/// SHA-256, the SHA-256 of the effective configuration (the parsed file after `${VAR}`
/// substitution, canonically encoded), and the SHA-256 of every file the stages' options name
/// (schemas, tokenizer vocabularies, ...) that exists when the pipeline is loaded.
public struct RunProvenance: Sendable, Hashable {
    public var pipelineSHA256: String?
    public var configSHA256: String?
    /// (path as written in the pipeline, SHA-256), in document order.
    public var referencedFiles: [ReferencedFile] = []

    public struct ReferencedFile: Sendable, Hashable {
        public var option: String
        public var path: String
        public var sha256: String
        public init(option: String, path: String, sha256: String) {
            self.option = option
            self.path = path
            self.sha256 = sha256
        }
    }

    public init(pipelineSHA256: String? = nil, configSHA256: String? = nil, referencedFiles: [ReferencedFile] = []) {
        self.pipelineSHA256 = pipelineSHA256
        self.configSHA256 = configSHA256
        self.referencedFiles = referencedFiles
    }

    /// Stage option keys whose value names a file whose content decides what the stage does.
    static let fileOptionKeys: Set<String> = ["schema", "schema_file", "schema_path", "vocab", "vocab_file", "vocabulary",
                                              "merges", "merges_file", "tokenizer", "tokenizer_file", "model", "file", "path", "mapping_file"]

    /// The provenance of a pipeline parsed to `root`; relative paths resolve against `base`.
    public static func of(root: ConfigNode, base: URL) -> RunProvenance {
        var p = RunProvenance()
        var encoded: [UInt8] = []
        canonical(root, into: &encoded)
        p.configSHA256 = ContentHash.sha256Hex(encoded)
        for stage in root["stages"]?.items ?? [] {
            for e in stage.entries ?? [] where fileOptionKeys.contains(e.key) {
                guard let path = e.value.scalar, !path.isEmpty, !path.contains("://") else { continue }
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue,
                      let data = FileManager.default.contents(atPath: url.path) else { continue }
                p.referencedFiles.append(ReferencedFile(option: stage.path.isEmpty ? e.key : "\(stage.path)/\(e.key)", path: path,
                                                        sha256: ContentHash.sha256Hex(data)))
            }
        }
        return p
    }

    /// Tag byte, then length-prefixed content; mapping keys sorted, so key order does not matter.
    static func canonical(_ node: ConfigNode, into out: inout [UInt8]) {
        func text(_ s: String) {
            var n = UInt64(s.utf8.count).bigEndian
            withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
            out.append(contentsOf: s.utf8)
        }
        switch node.kind {
        case .null: out.append(0)
        case .scalar(let s, _): out.append(1); text(s)
        case .sequence(let items):
            out.append(2); text(String(items.count))
            for i in items { canonical(i, into: &out) }
        case .mapping(let entries):
            out.append(3); text(String(entries.count))
            for e in entries.sorted(by: { $0.key < $1.key }) { text(e.key); canonical(e.value, into: &out) }
        }
    }

    /// The `run_started` event's details.
    public func details(pipeline: String, file: URL?, resumedAfter: String?) -> JSONValue {
        var o = JSONObject()
        o["pipeline"] = .string(pipeline)
        o["resumed_after"] = resumedAfter.map { .string($0) } ?? .null
        o["sluice_version"] = .string(SluiceVersion.current)
        o["pipeline_file"] = file.map { .string($0.lastPathComponent) } ?? .null
        o["pipeline_sha256"] = pipelineSHA256.map { .string($0) } ?? .null
        o["config_sha256"] = configSHA256.map { .string($0) } ?? .null
        o["files"] = .array(referencedFiles.map { ["option": .string($0.option), "path": .string($0.path), "sha256": .string($0.sha256)] })
        return .object(o)
    }
}
