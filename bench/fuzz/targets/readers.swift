import Foundation
import SluiceCore

// libFuzzer target for the file readers, one binary for all formats (bench/fuzz/run.sh builds it
// once): the format is the reader target's name, given in SLUICE_FUZZ_FORMAT (`xml`, ...), which
// run.sh sets. The fuzz input is written to a file and read through the file input exactly as a
// pipeline reads it (encoding decision, decompression, the reader).
// Every item must be a record, a failure, a notice, an event or a deferral; reading must end.
private let (file, extra): (String, [String: ConfigNode]) = {
    let format = ProcessInfo.processInfo.environment["SLUICE_FUZZ_FORMAT"] ?? ""
    switch format {
    case "jsonl": return ("a.jsonl", [:])
    case "jsondoc": return ("a.json", [:])
    case "csv": return ("a.csv", [:])
    case "xml": return ("a.xml", ["xml": map(["record_element": "item"])])
    case "html": return ("a.html", [:])
    case "text-headers": return ("a.txt", ["text": map(["header_fields": "true"])])
    case "front-matter": return ("a.md", [:])
    case "gzip": return ("a.jsonl.gz", [:])
    default: fatalError("SLUICE_FUZZ_FORMAT must name a reader target (bench/fuzz/run.sh sets it), not '\(format)'")
    }
}()

private func scalar(_ s: String) -> ConfigNode { ConfigNode(.scalar(s, quoted: false)) }
private func map(_ m: [String: String]) -> ConfigNode {
    ConfigNode(.mapping(m.sorted { $0.key < $1.key }.map { ConfigNode.Entry(key: $0.key, keyLocation: nil, value: scalar($0.value)) }))
}

private let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// The reader's work happens on Swift's cooperative pool; this thread waits for it.
private final class Outcome: @unchecked Sendable {
    var items = 0
    var error: (any Error)?
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = folder.appendingPathComponent(file)
    _ = FileManager.default.createFile(atPath: path.path, contents: Data(bytes: data, count: size))
    var options = extra
    options["paths"] = scalar(file)
    options["unchanged"] = scalar("sha256")
    let input: FileInput
    do {
        input = try FileInput(options: ComponentOptions(options, fields: FileInput.descriptor.fields),
                              context: BuildContext(pipeline: "fuzz", instanceName: "docs", baseDirectory: folder))
    } catch {
        fatalError("the input's options do not build: \(error)")
    }
    var limits = Limits()
    limits.maxRecordBytes = 1 << 20
    limits.maxDecompressedBytes = 8 << 20
    let context = RunContext(runID: "fuzz", pipeline: "fuzz", startedAt: Date(timeIntervalSince1970: 0), baseDirectory: folder,
                             stateDirectory: folder.appendingPathComponent(".sluice"), limits: limits)
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
        defer { done.signal() }
        do {
            let source = try input.open(checkpoint: nil, context: context)
            while let _ = try await source.next() {
                outcome.items += 1
                if outcome.items > 10 * size + 100 { fatalError("more items than the input could hold: the reader does not end") }
            }
        } catch {
            outcome.error = error
        }
    }
    done.wait()
    return 0
}
