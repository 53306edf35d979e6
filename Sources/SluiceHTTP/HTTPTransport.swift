import AsyncHTTPClient
import Foundation

/// What one attempt at one URL gave.
enum AttemptResult: Sendable {
    /// A complete response (any status but a redirect).
    case response(status: Int, headers: [(String, String)], body: [UInt8])
    /// A 301/302/303/307/308 with its `Location`, not followed: the caller checks the target's
    /// scope first.
    case redirect(status: Int, location: String?)
    /// The body passed `max_response_bytes`; reading stopped there.
    case tooLarge(status: Int, limit: Int)
    /// No complete response: the kind says whether it may be retried.
    case failure(AttemptFailure)
}

/// Why an attempt got no complete response. All of these are retried.
enum AttemptFailure: String, Sendable {
    /// The attempt took longer than `attempt_timeout_secs` (a hang or a slow trickle).
    case timeout
    /// Connecting failed or the connection dropped before the response head.
    case connection
    /// The connection dropped after the head: the body is cut short.
    case truncated
}

/// One GET at a time over AsyncHTTPClient, redirects never followed, every attempt bounded in
/// bytes and in (real) time.
///
/// The attempt timeout is measured on the network clock, not the injected `TimeSource`: it bounds
/// real I/O, and a virtual clock cannot make a socket give up. Everything else (backoff,
/// `Retry-After`, pacing, breakers, deadlines) runs on the injected clock.
struct HTTPTransport: Sendable {
    /// One client for the process, so connections are reused across inputs and runs; it is never
    /// shut down (process-lifetime, like `HTTPClient.shared`), but unlike the shared client it
    /// never follows redirects on its own.
    static let client: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.timeout = .init(connect: .seconds(10), read: .seconds(60))
        config.decompression = .disabled
        // A refused connection is one failed attempt, reported and retried by Sluice's own policy
        // (backoff, breaker, audit), not retried silently inside the pool until the deadline.
        config.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }()

    var timeoutSeconds: Double
    var maxBytes: Int

    /// One attempt, given up after `timeout` seconds (at most `timeoutSeconds`; less when a
    /// page or run deadline is nearer).
    func get(_ url: URL, headers: [(String, String)], timeout: Double? = nil) async -> AttemptResult {
        let timeout = min(timeoutSeconds, timeout ?? timeoutSeconds)
        let maxBytes = maxBytes
        return await withTaskGroup(of: AttemptResult?.self) { group in
            group.addTask { await Self.perform(url, headers: headers, timeout: timeout, maxBytes: maxBytes) }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(max(0.001, timeout) * 1e9))
                return Task.isCancelled ? nil : .failure(.timeout)
            }
            var result: AttemptResult = .failure(.timeout)
            while let next = await group.next() {
                if let r = next { result = r; break }
            }
            group.cancelAll()
            return result
        }
    }

    private static func perform(_ url: URL, headers: [(String, String)], timeout: Double, maxBytes: Int) async -> AttemptResult {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout * 1e9)))
        } catch {
            return .failure(classify(error, afterHead: false))
        }
        let status = Int(response.status.code)
        if [301, 302, 303, 307, 308].contains(status) {
            return .redirect(status: status, location: response.headers.first(name: "location"))
        }
        var body: [UInt8] = []
        let expected = response.headers.first(name: "content-length").flatMap { Int($0) }
        if let expected, expected > maxBytes { return .tooLarge(status: status, limit: maxBytes) }
        do {
            for try await chunk in response.body {
                if body.count + chunk.readableBytes > maxBytes { return .tooLarge(status: status, limit: maxBytes) }
                body.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            return .failure(classify(error, afterHead: true))
        }
        if Task.isCancelled { return .failure(.timeout) }
        if let expected, body.count < expected { return .failure(.truncated) }
        return .response(status: status, headers: response.headers.map { ($0.name.lowercased(), $0.value) }, body: body)
    }

    private static func classify(_ error: any Error, afterHead: Bool) -> AttemptFailure {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout || e == .cancelled { return .timeout }
        }
        if error is CancellationError { return .timeout }
        return afterHead ? .truncated : .connection
    }
}
