import Foundation
import SluiceConfig
import SluiceCore
import Testing

/// A fault server on 127.0.0.1 and the fresh virtual clock that it and the pipelines read from it share,
/// for the length of one test body.
struct Loopback: Sendable {
    let clock: VirtualTime
    let state: ServerState
    let port: Int

    /// Serves `items` items, drawing faults from `mix` seeded with `seed`; `prepare` scripts the state before the
    /// server starts. The server stops when `body` returns or throws, so no test leaves one running.
    static func run<T: Sendable>(items: Int, mix: FaultMix = .none, seed: UInt64 = 1,
                                 prepare: (ServerState) -> Void = { _ in },
                                 _ body: @Sendable (Loopback) async throws -> T) async throws -> T {
        let clock = VirtualTime()
        let state = ServerState(items: items, mix: mix, seed: seed, clock: clock)
        prepare(state)
        return try await FaultServer.run(state) { port in try await body(Loopback(clock: clock, state: state, port: port)) }
    }

    /// `path` (with its query, if any) on this server.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests the server has answered so far, in order.
    var requests: [ServerState.Logged] { state.requests }

    /// A pipeline on this clock whose `http` input `items` reads `path` here; see `PipelineHarness.itemsInput`.
    func pipeline(_ path: String, _ options: [String], credentials: CredentialStore? = nil) throws -> PipelineHarness {
        try PipelineHarness(clock: clock, url: url(path), options, credentials: credentials)
    }
}

extension PipelineHarness {
    /// The YAML of the `http` input `items` reading `url`, with each of `options` as a further key of it, in order.
    /// An option's later lines are taken as written, so they carry their own indentation under the input.
    static func itemsInput(url: String, _ options: [String]) -> String {
        (["- name: items", "  type: http", "  url: \(url)"] + options.map { "  " + $0 }).joined(separator: "\n")
    }

    convenience init(clock: VirtualTime, url: String, _ options: [String], credentials: CredentialStore? = nil) throws {
        try self.init(clock: clock, input: Self.itemsInput(url: url, options), credentials: credentials)
    }

    /// The pipeline's first input as loaded, for tests that open its sources by hand.
    func firstInput() throws -> any Input {
        try #require(try load().plan).inputs[0].component
    }

    /// A context for opening sources by hand: this harness's clock, and its folder as base and state.
    func runContext(random: any RandomSource = SystemRandomSource()) -> RunContext {
        RunContext(runID: "r", pipeline: "p", startedAt: clock.now(), time: clock, baseDirectory: dir.url,
                   stateDirectory: dir.url, random: random)
    }
}

extension RecordSource {
    /// The ids of the records this source yields, read until it ends or `limit` ids are collected.
    func recordIDs(upTo limit: Int = .max) async throws -> [String] {
        var ids: [String] = []
        while ids.count < limit, let item = try await next() { if case .record(let r) = item { ids.append(r.id) } }
        return ids
    }
}
