import Foundation
import SluiceJSON

// libFuzzer target: the mapping language's parser on arbitrary text, and each program that
// parses run over a fixed record. Must end in a result or a diagnostic/failure, never a crash.
private let record: JSONValue = ["a": 1, "b": ["x", "y"], "c": ["d": "text", "e": 2.5], "n": .null]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMap(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let source = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    guard let program = try? MapProgram(source: source) else { return 0 }
    _ = try? program.run(record, metadata: MapMetadata(input: "fuzz", uri: "data/a.jsonl", line: 1), now: Date(timeIntervalSince1970: 0))
    return 0
}
