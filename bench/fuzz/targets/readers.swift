import Foundation
import SluiceCore

// libFuzzer target for the file readers, one binary per format (chosen by -D FUZZ_<TARGET>,
// which bench/fuzz/run.sh sets): the fuzz input is written to a file and read through the
// file input exactly as a pipeline reads it (encoding decision, decompression, the reader).
// Every item must be a record, a failure, a notice, an event or a deferral; reading must end.
#if FUZZ_JSONL
private let file = "a.jsonl"; private let extra: [String: ConfigNode] = [:]
#elseif FUZZ_JSONDOC
private let file = "a.json"; private let extra: [String: ConfigNode] = [:]
#elseif FUZZ_CSV
private let file = "a.csv"; private let extra: [String: ConfigNode] = [:]
#elseif FUZZ_XML
private let file = "a.xml"; private let extra = ["xml": map(["record_element": "item"])]
#elseif FUZZ_HTML
private let file = "a.html"; private let extra: [String: ConfigNode] = [:]
#elseif FUZZ_TEXT_HEADERS
private let file = "a.txt"; private let extra = ["text": map(["header_fields": "true"])]
#elseif FUZZ_FRONT_MATTER
private let file = "a.md"; private let extra: [String: ConfigNode] = [:]
#elseif FUZZ_GZIP
private let file = "a.jsonl.gz"; private let extra: [String: ConfigNode] = [:]
#else
#error("build with -D FUZZ_<FORMAT>")
#endif

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
    FileManager.default.createFile(atPath: path.path, contents: Data(bytes: data, count: size))
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
