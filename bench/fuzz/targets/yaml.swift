import Yams

// libFuzzer target: the budgeted YAML loader (text scan, Yams compose, a budgeted walk over
// every node as the pipeline loader and the front matter reader do). Must end in a node or a
// `BudgetedYAML.Failure`: never a crash, a stack overflow or an exponential walk.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let limits = BudgetedYAML.Limits(maxNesting: 64, maxExpansion: 100_000)
    guard let node = try? BudgetedYAML.compose(text, limits: limits) else { return 0 }
    var budget = BudgetedYAML.Budget(text: text, limits: limits)
    _ = try? walk(node, depth: 0, budget: &budget)
    return 0
}

private func walk(_ node: Node, depth: Int, budget: inout BudgetedYAML.Budget) throws(BudgetedYAML.Failure) {
    try budget.enter(node, depth: depth)
    switch node {
    case .sequence(let items): for item in items { try walk(item, depth: depth + 1, budget: &budget) }
    case .mapping(let pairs): for (k, v) in pairs { try walk(k, depth: depth + 1, budget: &budget); try walk(v, depth: depth + 1, budget: &budget) }
    default: break
    }
}
