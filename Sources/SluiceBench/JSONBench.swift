import Foundation
import SluiceJSON

/// `sluice-bench json [--mb N] [--ascii] [--file PATH] [--rounds N]`: parse and parse+write
/// throughput of SluiceJSON on seeded, article-like JSONL (about 2 KB a line; `--ascii` for
/// English-like text without non-ASCII words). With `--file`, the corpus is written there first
/// (unless it exists) so the Python peer can read the very same bytes.
enum JSONBench {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ args: [String]) throws {
        var megabytes = 100
        var path: String?
        var rounds = 3
        var asciiOnly = false
        var it = args.makeIterator()
        while let arg = it.next() {
            switch arg {
            case "--mb": megabytes = Int(it.next() ?? "") ?? megabytes
            case "--file": path = it.next()
            case "--rounds": rounds = max(1, Int(it.next() ?? "") ?? rounds)
            case "--ascii": asciiOnly = true
            default: throw UsageError(description: "unknown argument \(arg); use --mb N, --ascii, --file PATH, --rounds N")
            }
        }

        let corpus: [UInt8]
        if let path, FileManager.default.fileExists(atPath: path) {
            corpus = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } else {
            corpus = JSONBenchCorpus.generate(bytes: megabytes * 1_000_000, seed: 20261130, asciiOnly: asciiOnly)
            if let path { try Data(corpus).write(to: URL(fileURLWithPath: path)) }
        }
        let lines = lineRanges(corpus)
        print("json_corpus: \(corpus.count) bytes")
        print("json_documents: \(lines.count) docs")

        // Both wall-clock and CPU time are reported: on a shared machine the CPU time of this
        // thread is the steadier figure. The best of `rounds` runs counts.
        var parse = Timing()
        var roundTrip = Timing()
        var written = 0
        try corpus.withUnsafeBytes { raw in
            for _ in 0..<rounds {
                var members = 0
                try parse.measure {
                    for range in lines {
                        let value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[range]))
                        members &+= value.objectValue?.count ?? 0
                    }
                }
                if members == 0 { throw UsageError(description: "corpus has no objects") }

                var buffer: [UInt8] = []
                buffer.reserveCapacity(64 * 1024)
                written = 0
                try roundTrip.measure {
                    for range in lines {
                        let value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[range]))
                        buffer.removeAll(keepingCapacity: true)
                        JSONWriter.write(value, into: &buffer)
                        written &+= buffer.count
                    }
                }
            }
        }
        // Untimed check: the generated corpus is compact JSON, so writing back must reproduce
        // every line byte for byte.
        var identical = 0
        try corpus.withUnsafeBytes { raw in
            for range in lines {
                let value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[range]))
                if JSONWriter.bytes(value)[...] == corpus[range] { identical += 1 }
            }
        }
        let megabytesRead = Double(corpus.count) / 1e6
        print("json_parse_cpu: \(format(megabytesRead / parse.cpu)) MB/s")
        print("json_parse_wall: \(format(megabytesRead / parse.wall)) MB/s")
        print("json_parse_docs_cpu: \(format(Double(lines.count) / parse.cpu)) docs/s")
        print("json_parse_write_cpu: \(format(megabytesRead / roundTrip.cpu)) MB/s")
        print("json_parse_write_wall: \(format(megabytesRead / roundTrip.wall)) MB/s")
        print("json_written: \(written) bytes")
        print("json_roundtrip_identical: \(identical)/\(lines.count) docs")
    }

    /// Best wall-clock and best thread-CPU seconds over several runs.
    struct Timing {
        var wall = Double.infinity
        var cpu = Double.infinity

        mutating func measure(_ body: () throws -> Void) rethrows {
            let clock = ContinuousClock()
            let cpuStart = threadCPUSeconds()
            let elapsed = try clock.measure(body)
            cpu = min(cpu, threadCPUSeconds() - cpuStart)
            let (s, atto) = elapsed.components
            wall = min(wall, Double(s) + Double(atto) / 1e18)
        }

        private func threadCPUSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }

    /// The byte ranges of the non-empty lines (without their newline).
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            if i > start { ranges.append(start..<i) }
            start = i + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
