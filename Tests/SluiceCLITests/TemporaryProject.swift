import Foundation
import SluiceTesting

/// A project folder under the system temp folder, as a user of `sluice` would have it: a pipeline file,
/// its data, and the real binary run inside it. Call `remove()` when done (`defer` it).
struct TemporaryProject {
    let directory: TemporaryDirectory

    /// Writes each of `files` (relative path: contents), with `pipeline` as `pipeline.yaml` when given.
    init(pipeline: String? = nil, files: [String: String] = [:]) throws {
        let directory = try TemporaryDirectory()
        do {
            if let pipeline { try directory.write("pipeline.yaml", pipeline) }
            for (relative, contents) in files { try directory.write(relative, contents) }
        } catch {
            directory.remove()
            throw error
        }
        self.directory = directory
    }

    var url: URL { directory.url }
    func path(_ relative: String) -> URL { directory.path(relative) }

    @discardableResult
    func write(_ relative: String, _ contents: String) throws -> URL { try directory.write(relative, contents) }

    /// Writes `data` as it is (bytes that need not be text).
    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> URL { try directory.write(relative, data) }

    func remove() { directory.remove() }

    /// Runs `sluice ARGS` in this folder, with `environment` over the test's own, and waits for it.
    func sluice(_ args: [String], environment: [String: String] = [:]) throws -> SluiceProcess.Result {
        try SluiceProcess.run(args, in: url, environment: environment)
    }

    /// The text of the file at `relative`.
    func text(_ relative: String) throws -> String {
        try String(contentsOf: path(relative), encoding: .utf8)
    }

    /// A pipeline named `name` whose one input, `docs`, reads `data/*.jsonl` with record ids at `/id`.
    /// Each stage and output is its YAML mapping without the list dash: the first line is its first key,
    /// later lines its further keys (nested lines indented from there). `limits` are lines under `limits:`.
    static func pipeline(name: String, stages: [String], outputs: [String], quarantine: String? = nil,
                         limits: [String] = []) -> String {
        var lines = ["name: \(name)", "inputs:", "  - name: docs", "    type: file", "    paths: data/*.jsonl", "    id: /id"]
        func list(_ key: String, _ items: [String]) {
            lines.append("\(key):")
            for item in items {
                for (i, line) in item.split(separator: "\n").enumerated() { lines.append((i == 0 ? "  - " : "    ") + line) }
            }
        }
        list("stages", stages)
        list("outputs", outputs)
        if let quarantine { lines += ["quarantine:", "  path: \(quarantine)"] }
        if !limits.isEmpty { lines += ["limits:"] + limits.map { "  " + $0 } }
        return lines.joined(separator: "\n")
    }
}
