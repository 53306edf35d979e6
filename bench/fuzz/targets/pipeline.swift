import SluiceCore

// libFuzzer target: the pipeline loader on arbitrary text (YAML reading with its budgets,
// interpolation, the sections and limits, diagnostics). The registry is empty, so every
// component is "unknown": the target exercises what all pipeline files go through.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    guard let registry = try? ComponentRegistry([]) else { fatalError("an empty registry must build") }
    let loader = PipelineLoader(registry: registry, environment: ["HOME": "/home/fuzz"])
    let result = loader.load(text: text, displayPath: "fuzz.yaml", file: nil)
    for d in result.diagnostics where d.location.map({ $0.line < 1 || $0.column < 1 }) ?? false {
        fatalError("a diagnostic points before the text: \(d.location!)")
    }
    return 0
}
