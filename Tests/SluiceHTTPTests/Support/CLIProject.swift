import Foundation
import SluiceTesting

/// A project folder for the real `sluice` binary: a pipeline `api` whose `http` input `items`
/// reads a loopback URL into `out/items.jsonl`, and the binary run inside it.
struct CLIProject {
    let dir: TemporaryDirectory

    /// `options` are further keys of the input, one a line.
    init(url: String, _ options: [String]) throws {
        dir = try TemporaryDirectory(prefix: "sluice-http-cli")
        try dir.write("pipeline.yaml", (["name: api", "inputs:", "  - name: items", "    type: http", "    url: \(url)", "    records: /data"]
                                        + options.map { "    " + $0 } + ["outputs:", "  - type: jsonl", "    path: out/items.jsonl"])
                                        .joined(separator: "\n") + "\n")
    }

    func remove() { dir.remove() }

    /// `sluice ARGS` in the folder, on a thread of its own: the fault server's handlers need the
    /// test's concurrency pool while the process runs.
    func sluice(_ args: [String], environment: [String: String] = [:]) async throws -> SluiceProcess.Result {
        let url = dir.url
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<SluiceProcess.Result, any Error>) in
            Thread.detachNewThread { c.resume(with: Result { try SluiceProcess.run(args, in: url, environment: environment) }) }
        }
    }

    /// The text of `relative`, or "" when there is no such file.
    func text(_ relative: String) -> String { (try? String(contentsOf: dir.path(relative), encoding: .utf8)) ?? "" }

    /// Every file in the folder (outputs, quarantine, state DB, digests, summary, metrics, report), as text.
    func everyFile() -> [(path: String, text: String)] {
        var files: [(String, String)] = []
        if let e = FileManager.default.enumerator(at: dir.url, includingPropertiesForKeys: nil) {
            for case let url as URL in e {
                if let d = FileManager.default.contents(atPath: url.path) { files.append((url.path, String(decoding: d, as: UTF8.self))) }
            }
        }
        return files
    }
}
