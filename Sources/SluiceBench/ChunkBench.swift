import Foundation
import SluiceText

/// `sluice-bench chunk [SHARED_DIR]`: chunking throughput on the shared corpora at 512 and 2048
/// characters and 256 MiniLM tokens, and a chunk-size histogram per strategy. Throughput is the
/// best of several runs (at least 3 and at least 1 s), tokenizer loading excluded, as in
/// bench/chunk/peers.py.
enum ChunkBench {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) not found: pass the shared/ folder as the first argument or set SLUICE_SHARED" }
    }

    /// `--once` runs each case once (for profiling under callgrind).
    static func run(_ args: [String]) throws {
        let once = args.contains("--once")
        let shared = args.first { $0 != "--once" } ?? ProcessInfo.processInfo.environment["SLUICE_SHARED"] ?? "../shared"
        let tokenizerPath = shared + "/corpora/tokenizers/all-MiniLM-L6-v2/tokenizer.json"
        guard FileManager.default.fileExists(atPath: tokenizerPath) else { throw Missing(path: tokenizerPath) }
        let tokenizer = try HFTokenizer(contentsOf: URL(fileURLWithPath: tokenizerPath))
        for file in ["room_with_a_view.txt", "commonmark_spec.md"] {
            let path = shared + "/corpora/text/" + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Missing(path: path) }
            let strategies: [ChunkStrategy] = file.hasSuffix(".md") ? [.recursive, .markdown] : [.recursive]
            for (label, unit, size) in [("chars-512", ChunkSizeUnit.chars, 512), ("chars-2048", .chars, 2048), ("tokens-256", .tokens, 256)] {
                for strategy in strategies {
                    let chunker = try Chunker(options: ChunkerOptions(strategy: strategy, unit: unit, maxSize: size),
                                              tokenizer: unit == .tokens ? tokenizer : nil)
                    let (rate, count) = bestRate(text, once: once) { chunker.chunks(of: text).count }
                    print("chunk/\(file)/sluice/\(strategy.rawValue)/\(label): \(String(format: "%.2f", rate)) MB/s (\(count) chunks)")
                }
            }
            for strategy in ChunkStrategy.allCases {
                let chunker = try Chunker(options: ChunkerOptions(strategy: strategy, unit: .chars, maxSize: 512))
                print(histogram(chunker.chunks(of: text).map(\.size), maxSize: 512, name: "chunk/\(file)/sluice/\(strategy.rawValue)/chars-512/sizes"))
            }
        }
    }

    /// MB/s of the best run, and what the last run returned.
    static func bestRate(_ text: String, once: Bool, _ body: () -> Int) -> (Double, Int) {
        let bytes = Double(text.utf8.count)
        var best = Double.infinity, total = 0.0, runs = 0, result = 0
        while runs < (once ? 1 : 3) || (total < 1.0 && !once) {
            let start = DispatchTime.now().uptimeNanoseconds
            result = body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
            total += seconds
            runs += 1
            if total > 20 { break }
        }
        return (bytes / best / 1e6, result)
    }

    /// Chunk counts by size in tenths of `maxSize` (1-51, 52-102, ... for 512), on one line.
    static func histogram(_ sizes: [Int], maxSize: Int, name: String) -> String {
        var buckets = [Int](repeating: 0, count: 10)
        for s in sizes { buckets[min(9, max(0, (s - 1) * 10 / maxSize))] += 1 }
        let mean = sizes.isEmpty ? 0 : sizes.reduce(0, +) / sizes.count
        return "\(name): \(buckets.map(String.init).joined(separator: " ")) chunks per tenth of max_size (mean \(mean))"
    }
}
