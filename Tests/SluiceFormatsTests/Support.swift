import CZlib
import Foundation
import SluiceCore
import SluiceFormats
import SluiceJSON
import SluiceTesting
import Testing

/// Builds option trees the way a pipeline file would hold them.
indirect enum Opt {
    case s(String)
    case list([String])
    case map([String: Opt])

    var node: ConfigNode {
        switch self {
        case .s(let v): return ConfigNode(.scalar(v, quoted: false))
        case .list(let items): return ConfigNode(.sequence(items.map { ConfigNode(.scalar($0, quoted: false)) }))
        case .map(let m):
            return ConfigNode(.mapping(m.sorted { $0.key < $1.key }.map { ConfigNode.Entry(key: $0.key, keyLocation: nil, value: $0.value.node) }))
        }
    }
}

/// A folder of input files and the file input built over it, as a pipeline would build it.
struct Fixture {
    let dir: TemporaryDirectory
    var limits = Limits()

    init() throws { dir = try TemporaryDirectory(prefix: "sluice-formats") }

    func input(_ options: [String: Opt], name: String = "docs") throws -> FileInput {
        let opts = ComponentOptions(options.mapValues(\.node), fields: FileInput.descriptor.fields)
        return try FileInput(options: opts, context: BuildContext(pipeline: "test", instanceName: name, baseDirectory: dir.url))
    }

    func context() -> RunContext {
        RunContext(runID: "run-1", pipeline: "test", startedAt: Date(timeIntervalSince1970: 0), baseDirectory: dir.url,
                   stateDirectory: dir.path(".sluice"), limits: limits)
    }

    /// Reads everything; returns the items and the final checkpoint.
    func read(_ options: [String: Opt], checkpoint: Checkpoint? = nil, max: Int = .max) async throws -> Run {
        let source = try input(options).open(checkpoint: checkpoint, context: context())
        var items: [SourceItem] = []
        while items.count < max, let item = try await source.next() { items.append(item) }
        return Run(items: items, checkpoint: source.checkpoint)
    }

    @discardableResult
    func write(_ path: String, _ text: String) throws -> URL { try dir.write(path, text) }
    @discardableResult
    func write(_ path: String, bytes: [UInt8]) throws -> URL { try dir.write(path, Data(bytes)) }
}

struct Run {
    var items: [SourceItem]
    var checkpoint: Checkpoint

    var records: [Record] {
        items.compactMap { if case .record(let r) = $0 { return r } else { return nil } }
    }
    var failures: [RecordFailure] {
        items.compactMap { if case .failure(let f) = $0 { return f } else { return nil } }
    }
    var notices: [SourceNotice] {
        items.compactMap { if case .notice(let n) = $0 { return n } else { return nil } }
    }
    var ids: [String] {
        items.compactMap {
            switch $0 {
            case .record(let r): return r.id
            case .failure(let f): return f.recordID
            default: return nil
            }
        }
    }
}

extension Record {
    func string(_ key: String) -> String? { value[key]?.stringValue }
}

/// gzip made with zlib, as `gzip` would write it.
enum Gzip {
    static func compress(_ data: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try deflateStream { feed in feed(data, true) } sink: { out.append(contentsOf: $0) }
        return out
    }

    /// Streams `count` zero bytes through deflate into `url` without holding them: a gzip bomb.
    static func writeZeros(count: Int, to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let block = [UInt8](repeating: 0, count: 1 << 20)
        try deflateStream { feed in
            var left = count
            while left > 0 {
                let n = min(left, block.count)
                left -= n
                feed(Array(block.prefix(n)), left == 0)
            }
        } sink: { handle.write(Data($0)) }
    }

    struct Failure: Error { var code: Int32 }

    private static func deflateStream(_ produce: ((([UInt8], Bool) -> Void)) throws -> Void, sink: @escaping ([UInt8]) -> Void) throws {
        var zs = z_stream()
        let rc = deflateInit2_(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw Failure(code: rc) }
        defer { deflateEnd(&zs) }
        var out = [UInt8](repeating: 0, count: 64 * 1024)
        try produce { chunk, last in
            var input = chunk
            input.withUnsafeMutableBufferPointer { inBuf in
                zs.next_in = inBuf.baseAddress
                zs.avail_in = uInt(inBuf.count)
                repeat {
                    out.withUnsafeMutableBufferPointer { outBuf in
                        zs.next_out = outBuf.baseAddress
                        zs.avail_out = uInt(outBuf.count)
                        _ = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH)
                        sink(Array(outBuf.prefix(outBuf.count - Int(zs.avail_out))))
                    }
                } while zs.avail_out == 0 || (last && zs.avail_in > 0)
            }
        }
    }
}
