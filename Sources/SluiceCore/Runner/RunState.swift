import Foundation

/// Counts kept while a run goes on.
struct RunState {
    var ledger = RunLedger()
    var summary: RunSummary

    init(runID: String, plan: PipelinePlan) {
        summary = RunSummary(runID: runID, pipeline: plan.name, startedAt: Date(), finishedAt: Date(), durationSeconds: 0,
                             status: "running", exitStatus: 0, ledger: RunLedger(), balanced: true, newRecords: 0,
                             inputs: [:], stages: [:], stageOrder: plan.stages.map(\.name), outputs: [:],
                             quarantinePath: nil, quarantineReasons: [:], dropReasons: [:], resumedAfter: nil, problems: [])
        for o in plan.outputs { summary.outputs[o.name] = .init(type: o.type) }
        for s in plan.stages { summary.stages[s.name] = .init(type: s.type) }
        for i in plan.inputs { summary.inputs[i.name] = .init() }
    }
}
