import Foundation
import SluiceCore
import SluiceFormats

/// `sluice-bench formats FILE [RECORD_ELEMENT]`: reads one file through the `file` input (the
/// format picked by extension) and prints throughput (per wall second and per CPU second) and the
/// process's peak RSS. Run it once per file (bench/formats/run.sh does) so that each peak belongs
/// to one format. Reading includes what the input always does: UTF-8 checks, parsing, and two
/// SHA-256 passes (the file's, for skipping unchanged files, and each record's, for provenance).
enum FormatsBench {
    struct Usage: Error, CustomStringConvertible {
        var description: String { "usage: sluice-bench formats FILE [XML_RECORD_ELEMENT]" }
    }

    /// The async source drained from a synchronous benchmark.
    private final class Outcome: @unchecked Sendable {
        var records = 0
        var failures = 0
        var error: (any Error)?
    }

    static func run(_ args: [String]) throws {
        guard let path = args.first else { throw Usage() }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var values: [String: ConfigNode] = ["paths": ConfigNode(.scalar(url.lastPathComponent, quoted: true))]
        if args.count > 1 {
            values["xml"] = ConfigNode(.mapping([ConfigNode.Entry(key: "record_element", keyLocation: nil,
                                                                  value: ConfigNode(.scalar(args[1], quoted: true)))]))
        }
        let base = url.deletingLastPathComponent()
        let input = try FileInput(options: ComponentOptions(values, fields: FileInput.descriptor.fields),
                                  context: BuildContext(pipeline: "bench", instanceName: "bench", baseDirectory: base))
        let context = RunContext(runID: "bench", pipeline: "bench", startedAt: Date(), baseDirectory: base, stateDirectory: base)
        let bytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let start = DispatchTime.now().uptimeNanoseconds
        Task.detached {
            do {
                let source = try input.open(checkpoint: nil, context: context)
                while let item = try await source.next() {
                    switch item {
                    case .record: outcome.records += 1
                    case .failure: outcome.failures += 1
                    default: break
                    }
                }
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let name = "formats/\(url.lastPathComponent)/sluice"
        print("\(name)/read: \(String(format: "%.1f", Double(bytes) / seconds / 1e6)) MB/s")
        // The cores are shared: throughput per CPU-second is the figure that survives a busy machine.
        print("\(name)/read_cpu: \(String(format: "%.1f", Double(bytes) / cpu / 1e6)) MB per CPU-second")
        print("\(name)/records: \(String(format: "%.0f", Double(outcome.records) / seconds)) records/s (\(outcome.records) records, \(outcome.failures) quarantined)")
        print("\(name)/peak_rss: \(usage.ru_maxrss / 1024) MB (file \(bytes / 1_000_000) MB)")
    }
}
