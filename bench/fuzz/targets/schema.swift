import SluiceJSON

// libFuzzer target: the JSON Schema compiler on arbitrary JSON, then validation of the schema
// against itself and of a few fixed instances. Must end in a validator or a `SchemaError`.
private let instances: [JSONValue] = [.null, 1, "x", [1, "a", [2]], ["a": 1, "b": ["c": [true]]]]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let schema = try? JSONParser.parse(UnsafeRawBufferPointer(start: data, count: size), options: .init(maxDepth: 64)) else { return 0 }
    guard let validator = try? JSONSchemaValidator(schema: schema) else { return 0 }
    _ = validator.validate(schema)
    for instance in instances { _ = validator.validate(instance) }
    return 0
}
