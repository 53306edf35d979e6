// libFuzzer target: the JSON parser, then writing, comparing, hashing and freeing what it returns.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard var value = try? JSONParser.parse(bytes, options: .init(maxDepth: 100_000)) else { return 0 }
    let text = JSONWriter.bytes(value)
    guard var again = try? JSONParser.parse(text, options: .init(maxDepth: 100_000)) else {
        fatalError("the writer's output does not parse again")
    }
    if again != value || again.hashValue != value.hashValue { fatalError("a value written and read again is not equal") }
    _ = value.estimatedSize
    value.dismantle()  // a deep array at the top cannot free itself without recursion
    again.dismantle()
    return 0
}
