import Foundation
import Hummingbird
import Logging
import SluiceCore

/// What the server does with one request.
enum Fault: String, Sendable, CaseIterable {
    case ok, http500, http502, http503, http429Seconds, http429Date, hang, reset, truncated, trickle
    /// A 200 whose JSON is cut in half, with a Content-Length that matches the cut body: the
    /// transport sees a complete response, only parsing can tell.
    case cutShort200
}

/// A seeded fault schedule: each request draws its fault from the mix.
struct FaultMix: Sendable {
    var weights: [(Fault, Double)]
    static let none = FaultMix(weights: [])
    /// The issue's mix: 30% 5xx, 10% 429 (half with seconds, half with a date), 5% hangs, 5% resets.
    static let issue = FaultMix(weights: [(.http500, 0.10), (.http502, 0.10), (.http503, 0.10), (.http429Seconds, 0.05),
                                          (.http429Date, 0.05), (.hang, 0.05), (.reset, 0.05)])
    /// Issue 15's soak mix, 35% in all: every kind of fault, cut-short 200s included.
    static let soak = FaultMix(weights: [(.http500, 0.05), (.http502, 0.04), (.http503, 0.04), (.http429Seconds, 0.04),
                                         (.http429Date, 0.04), (.hang, 0.03), (.reset, 0.03), (.truncated, 0.02), (.trickle, 0.02),
                                         (.cutShort200, 0.04)])
    func draw(_ u: Double) -> Fault {
        var acc = 0.0
        for (f, w) in weights { acc += w; if u < acc { return f } }
        return .ok
    }
}

/// The server's shared, locked state: the data set, the fault plan and the request log.
final class ServerState: @unchecked Sendable {
    struct Logged: Sendable {
        var path: String
        var query: String
        var authorization: String?
        var fault: Fault
    }
    private let lock = NSLock()
    private var log: [Logged] = []
    private var rng: SeededRandomSource
    var mix: FaultMix
    /// Faults for specific request numbers (0-based), before the mix is consulted.
    var scripted: [Int: Fault] = [:]
    /// Every request to the items routes fails with 503 while this is set.
    var outage = false
    var items: [[String: String]]
    let clock: VirtualTime
    var hangSeconds = 1.5
    var retryAfterSeconds = 2

    init(items: Int, mix: FaultMix = .none, seed: UInt64 = 1, clock: VirtualTime) {
        self.items = (0..<items).map { ["id": String(format: "item-%04d", $0), "updated_at": String(format: "2026-11-%02dT00:00:%02dZ", 1 + $0 % 28, $0 % 60)] }
        self.mix = mix
        rng = SeededRandomSource(seed: seed)
        self.clock = clock
    }

    func nextFault(path: String, query: String, authorization: String?) -> Fault {
        lock.lock(); defer { lock.unlock() }
        let n = log.count
        var fault = scripted[n] ?? mix.draw(rng.nextUnit())
        if outage { fault = .http503 }
        log.append(Logged(path: path, query: query, authorization: authorization, fault: fault))
        return fault
    }

    func logNoFault(path: String, query: String, authorization: String?) {
        lock.lock(); defer { lock.unlock() }
        log.append(Logged(path: path, query: query, authorization: authorization, fault: .ok))
    }

    var requests: [Logged] { lock.lock(); defer { lock.unlock() }; return log }
    func set(_ body: (ServerState) -> Void) { lock.lock(); body(self); lock.unlock() }
}

/// A real HTTP server on 127.0.0.1 (an ephemeral port) that serves paginated items and injects faults.
///
/// Routes: `/v1/items` (cursor: `?cursor=N&limit=L`, `since` filters on updated_at),
/// `/v1/offset` (`offset`, `limit`, `total`), `/v1/pages` (`page`), `/v1/link` (Link rel=next),
/// `/v1/elsewhere` (a `next` link to another host), `/v1/redirect-out` (302 to another host),
/// `/v1/redirect-in` (302 to `/v1/items`), `/v1/html` (text/html), `/v1/big` (a large body),
/// `/v1/trickle` (slow body), `/admin/items` (outside the usual scope).
enum FaultServer {
    static func run<T: Sendable>(_ state: ServerState, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        routes(router, state)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "fault-server")
        quiet.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: quiet)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await app.run(); return nil }
            var it = ports.makeAsyncIterator()
            guard let port = await it.next(), port > 0 else { throw CancellationError() }
            let result = try await body(port)
            group.cancelAll()
            return result
        }
    }
}
