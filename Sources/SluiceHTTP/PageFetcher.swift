import Foundation
import SluiceCore
import SluiceJSON

/// A page's response as the input uses it.
struct FetchedPage: Sendable {
    enum Via: String, Sendable { case primary, secondary, cache }
    /// The URL that answered (after redirects), without any credential.
    var url: URL
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var fetchedAt: Date
    var via: Via

    func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    func headerValues(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
}

/// How getting one page ended.
enum PageOutcome: Sendable {
    case page(FetchedPage)
    /// A complete answer that holds no records we can use (too large): quarantined.
    case unusable(code: String, message: String, url: URL, body: [UInt8])
    /// Not now: retries ran out, the breaker is open, `Retry-After` is too long, a deadline passed.
    case deferred(reason: String, detail: String)
    /// Stops the run: a scope denied a request (77) or the server refused it for good (4xx).
    case stop(SluiceError)
}

/// Gets pages with retries, per-host circuit breakers, pacing and scope checks, and reports
/// every attempt, retry, breaker transition and credential use as an audit event.
final class PageFetcher {
    let settings: HTTPSettings
    let input: String
    let signer: RequestSigner
    let transport: HTTPTransport
    let time: any TimeSource
    let random: any RandomSource
    let backoff: FullJitterBackoff
    var breakers: [String: CircuitBreaker] = [:]
    private let runStart: Double
    var lastRequestStartTime: Double?
    var rateLimitedUntil: Double?
    /// Events produced since the last `drainEvents`.
    var events: [AuditEvent] = []
    var metrics = HTTPMetrics()

    init(settings: HTTPSettings, input: String, signer: RequestSigner, time: any TimeSource, random: any RandomSource,
         openBreakers: [String: Date]) {
        self.settings = settings
        self.input = input
        self.signer = signer
        self.time = time
        self.random = random
        transport = HTTPTransport(timeoutSeconds: settings.retry.attemptTimeoutSecs, maxBytes: settings.maxResponseBytes)
        backoff = FullJitterBackoff(baseSeconds: Double(settings.retry.initialBackoffMs) / 1000, capSeconds: settings.retry.maxBackoffSecs)
        runStart = time.uptime()
        for (host, at) in openBreakers { breakers[host] = CircuitBreaker(settings: settings.breaker, openedAt: at) }
    }

    func drainEvents() -> [AuditEvent] {
        defer { events.removeAll() }
        return events
    }

    /// Breakers that are open (or half-open, which a new run treats as open), for the checkpoint.
    var openBreakerDates: [String: Date] {
        var out: [String: Date] = [:]
        for (host, b) in breakers where b.state != .closed { if let at = b.openedAt { out[host] = at } }
        return out
    }

    /// Gets `url` (page `page`), trying attempts up to `max_attempts`.
    func fetch(_ url: URL, page: Int, via: FetchedPage.Via = .primary) async -> PageOutcome {
        let pageStart = time.uptime()
        var current = url
        var attempts = 0
        var redirects = 0
        while true {
            let host = Self.hostKey(current)
            var breaker = breakers[host] ?? CircuitBreaker(settings: settings.breaker)
            let (allowed, opened) = breaker.allowCall(now: time.now())
            breakers[host] = breaker
            if let opened { note(opened, host: host, url: current, page: page) }
            guard allowed else {
                metrics.shortCircuited += 1
                return .deferred(reason: "circuit_open", detail: "the circuit breaker for \(host) is open")
            }
            if time.uptime() - runStart > settings.retry.runDeadlineSecs {
                return .deferred(reason: "run_deadline", detail: "run_deadline_secs (\(settings.retry.runDeadlineSecs)) passed")
            }
            if let wait = rateLimitWait, wait > settings.retry.maxRetryAfterSecs {
                return .deferred(reason: "rate_limited", detail: "the rate limit resets in \(Int(wait)) s, over max_retry_after_secs (\(Int(settings.retry.maxRetryAfterSecs)))")
            }
            await pace()
            guard let scope = signer.scope(for: current) else {
                metrics.denied += 1
                let who = signer.credential.map { "credential '\($0.name)'" } ?? "the input's own origin (no credential)"
                emit("credential_denied", url: current, page: page, reason: "scope",
                     details: ["method": "GET", "credential": signer.credential.map { .string($0.name) } ?? .null,
                               "granted": .array((signer.credential?.scopes ?? signer.implicitScopes).map { .string($0.description) })])
                return .stop(SluiceError(.permissionDenied,
                    "input '\(input)': \(who) does not allow GET \(current.absoluteString) (granted: \(signer.scopeList)); nothing was sent"))
            }
            if let c = signer.credential {
                metrics.credentialUses += 1
                emit("credential_used", url: current, page: page, reason: c.kind.word,
                     details: ["credential": .string(c.name), "scope": .string(scope.description), "method": "GET"])
            }
            attempts += 1
            lastRequestStartTime = time.uptime()
            metrics.requests += 1
            let (wireURL, headers) = signer.wire(current)
            let result = await transport.get(wireURL, headers: [("Accept", "application/json")] + settings.headers + headers)
            var retryAfter: Double?
            var reason: String
            switch result {
            case .redirect(let status, let location):
                attempts -= 1
                record(success: true, host: host, url: current, page: page)
                emit("fetched", url: current, page: page, reason: "redirect", details: ["status": .number(JSONNumber(status)), "attempt": .number(JSONNumber(attempts + 1))])
                guard let location, let target = URL(string: location, relativeTo: current)?.absoluteURL else {
                    return .stop(SluiceError(.unavailable, "input '\(input)': \(current.absoluteString) redirected (\(status)) without a usable Location"))
                }
                redirects += 1
                if redirects > settings.retry.maxRedirects {
                    return .stop(SluiceError(.unavailable, "input '\(input)': more than \(settings.retry.maxRedirects) redirects from \(url.absoluteString)"))
                }
                current = signer.strip(target)
                continue
            case .response(let status, let headers, let body):
                let fetched = FetchedPage(url: current, status: status, headers: headers, body: body, fetchedAt: time.now(), via: via)
                noteRateLimit(fetched)
                emit("fetched", url: current, page: page, reason: status < 300 ? "ok" : "http_\(status)",
                     details: ["status": .number(JSONNumber(status)), "bytes": .number(JSONNumber(body.count)),
                               "attempt": .number(JSONNumber(attempts)), "via": .string(via.rawValue)])
                if (200..<300).contains(status) {
                    record(success: true, host: host, url: current, page: page)
                    return .page(fetched)
                }
                guard Self.isRetryable(status) else {
                    record(success: true, host: host, url: current, page: page)
                    let exit: ExitStatus = status == 401 || status == 403 ? .permissionDenied : .unavailable
                    return .stop(SluiceError(exit, "input '\(input)': \(current.absoluteString) answered \(status); such an answer is not retried"))
                }
                // 429 says the host is alive and busy: it does not count against the breaker.
                if status != 429 { record(success: false, host: host, url: current, page: page) }
                retryAfter = RetryAfter.seconds(fetched.header("retry-after"), now: time.now())
                reason = "http_\(status)"
            case .tooLarge(let status, let limit):
                record(success: true, host: host, url: current, page: page)
                emit("fetched", url: current, page: page, reason: "too_large", details: ["status": .number(JSONNumber(status)), "attempt": .number(JSONNumber(attempts))])
                return .unusable(code: "response_too_large", message: "the response to \(current.absoluteString) is larger than max_response_bytes (\(limit))",
                                 url: current, body: [])
            case .failure(let kind):
                record(success: false, host: host, url: current, page: page)
                emit("fetched", url: current, page: page, reason: kind.rawValue, details: ["attempt": .number(JSONNumber(attempts))])
                reason = kind.rawValue
            }
            metrics.failedAttempts += 1
            if attempts >= settings.retry.maxAttempts {
                return .deferred(reason: "retries_exhausted", detail: "\(attempts) attempts, the last: \(reason)")
            }
            let delay: Double
            if let retryAfter {
                if retryAfter > settings.retry.maxRetryAfterSecs {
                    return .deferred(reason: "retry_after_too_long",
                                     detail: "Retry-After \(Int(retryAfter)) s is over max_retry_after_secs (\(Int(settings.retry.maxRetryAfterSecs)))")
                }
                delay = retryAfter
            } else {
                delay = backoff.delay(retry: attempts, random: random)
            }
            let after = time.uptime() + delay
            if after - pageStart > settings.retry.pageDeadlineSecs {
                return .deferred(reason: "page_deadline", detail: "page_deadline_secs (\(settings.retry.pageDeadlineSecs)) would pass before the next attempt")
            }
            if after - runStart > settings.retry.runDeadlineSecs {
                return .deferred(reason: "run_deadline", detail: "run_deadline_secs (\(settings.retry.runDeadlineSecs)) would pass before the next attempt")
            }
            metrics.retries += 1
            metrics.backoffSeconds += delay
            emit("retried", url: current, page: page, reason: reason,
                 details: ["next_attempt": .number(JSONNumber(attempts + 1)), "delay_ms": .number(JSONNumber(Int((delay * 1000).rounded()))),
                           "retry_after": retryAfter.map { .number(JSONNumber($0)) } ?? .null])
            try? await time.sleep(seconds: delay)
        }
    }
}
