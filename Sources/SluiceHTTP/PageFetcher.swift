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
    /// The body as read by `PageBody.parse` (set for every page the fetcher returns).
    var parsed: ParsedBody?

    func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    func headerValues(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
}

/// How getting one page ended.
enum PageOutcome: Sendable {
    /// A 2xx whose body holds what `records` expects.
    case page(FetchedPage)
    /// Not now: retries ran out (failures, or bodies that could not be read), the breaker is
    /// open, `Retry-After` is too long, a deadline passed. The chain keeps its place.
    case deferred(reason: String, detail: String)
    /// Stops the run: a scope denied a request (77), the server refused it for good (4xx), or
    /// the answer is larger than `max_response_bytes` (65).
    case stop(SluiceError)
}

/// Gets pages with retries, per-host circuit breakers, pacing, deadlines and scope checks, and
/// reports every attempt, retry, breaker transition and credential use as an audit event.
final class PageFetcher {
    let settings: HTTPSettings
    let input: String
    let signer: RequestSigner
    let transport: HTTPTransport
    let time: any TimeSource
    let random: any RandomSource
    let backoff: FullJitterBackoff
    let maxDepth: Int
    var breakers: [String: CircuitBreaker] = [:]
    /// Per host: the time before which the server asked not to be called (wall clock of `time`).
    var notBefore: [String: Date] = [:]
    private let runStart: Double
    var lastRequestStartTime: Double?
    var rateLimitedUntil: Double?
    /// Events produced since the last `drainEvents`.
    var events: [AuditEvent] = []
    var metrics = HTTPMetrics()

    init(settings: HTTPSettings, input: String, signer: RequestSigner, time: any TimeSource, random: any RandomSource,
         hosts: [String: HostMemory], maxDepth: Int) {
        self.settings = settings
        self.input = input
        self.signer = signer
        self.time = time
        self.random = random
        self.maxDepth = maxDepth
        transport = HTTPTransport(timeoutSeconds: settings.retry.attemptTimeoutSecs, maxBytes: settings.maxResponseBytes)
        backoff = FullJitterBackoff(baseSeconds: Double(settings.retry.initialBackoffMs) / 1000, capSeconds: settings.retry.maxBackoffSecs)
        runStart = time.uptime()
        for (host, m) in hosts {
            if m.openedAt != nil || !m.window.isEmpty { breakers[host] = CircuitBreaker(settings: settings.breaker, memory: m) }
            if let nb = m.notBefore { notBefore[host] = nb }
        }
    }

    func drainEvents() -> [AuditEvent] {
        defer { events.removeAll() }
        return events
    }

    /// What the checkpoint keeps per host: breakers (open ones, and closed ones' windows) and
    /// waits the servers asked for that have not yet passed.
    var hostMemory: [String: HostMemory] {
        var out: [String: HostMemory] = [:]
        for (host, b) in breakers { out[host] = b.memory }
        let now = time.now()
        for (host, nb) in notBefore where nb > now { out[host, default: HostMemory()].notBefore = nb }
        return out.filter { !$0.value.isEmpty }
    }

    /// An error that leaves the input: the secret is taken out of its message, whatever put it there.
    func stop(_ status: ExitStatus, _ message: String) -> PageOutcome {
        .stop(SluiceError(status, signer.redact(message)))
    }

    /// Gets `url` (page `page`), trying attempts up to `max_attempts`. A 2xx whose body cannot be
    /// read as records counts as a failed attempt, like a dropped connection.
    func fetch(_ url: URL, page: Int, via: FetchedPage.Via = .primary) async -> PageOutcome {
        let pageStart = time.uptime()
        let retry = settings.retry
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
            if time.uptime() - runStart >= retry.runDeadlineSecs {
                return .deferred(reason: "run_deadline", detail: "run_deadline_secs (\(retry.runDeadlineSecs)) passed")
            }
            if let until = notBefore[host] {
                let wait = until.timeIntervalSince(time.now())
                if wait <= 0 {
                    notBefore[host] = nil
                } else if wait > retry.maxRetryAfterSecs {
                    return .deferred(reason: "retry_after", detail: "\(host) asked not to be called for \(Int(wait.rounded(.up))) s more, over max_retry_after_secs (\(Int(retry.maxRetryAfterSecs)))")
                }
            }
            if let wait = rateLimitWait, wait > retry.maxRetryAfterSecs {
                notBefore[host] = time.now().addingTimeInterval(wait)
                return .deferred(reason: "rate_limited", detail: "the rate limit resets in \(Int(wait)) s, over max_retry_after_secs (\(Int(retry.maxRetryAfterSecs)))")
            }
            // A wait (pacing, a rate-limit reset, a remembered Retry-After) that would pass a
            // deadline defers the page now rather than sleeping past it.
            let wait = paceWait(until: notBefore[host])
            if wait > 0, time.uptime() + wait - pageStart >= retry.pageDeadlineSecs {
                return .deferred(reason: "page_deadline", detail: "page_deadline_secs (\(retry.pageDeadlineSecs)) would pass before the next attempt")
            }
            if wait > 0, time.uptime() + wait - runStart >= retry.runDeadlineSecs {
                return .deferred(reason: "run_deadline", detail: "run_deadline_secs (\(retry.runDeadlineSecs)) would pass before the next attempt")
            }
            await pace(until: notBefore[host])
            // Every attempt ends within both deadlines: its timeout is what is left of them.
            let pageLeft = retry.pageDeadlineSecs - (time.uptime() - pageStart)
            let runLeft = retry.runDeadlineSecs - (time.uptime() - runStart)
            if pageLeft <= 0 {
                return .deferred(reason: "page_deadline", detail: "page_deadline_secs (\(retry.pageDeadlineSecs)) passed")
            }
            if runLeft <= 0 {
                return .deferred(reason: "run_deadline", detail: "run_deadline_secs (\(retry.runDeadlineSecs)) passed")
            }
            let timeout = min(retry.attemptTimeoutSecs, pageLeft, runLeft)
            guard let scope = signer.scope(for: current) else {
                metrics.denied += 1
                let who = signer.credential.map { "credential '\($0.name)'" } ?? "the input's own origin (no credential)"
                emit(.credentialDenied, url: current, page: page, reason: "scope",
                     details: ["method": "GET", "granted": .array((signer.credential?.scopes ?? signer.implicitScopes).map { .string($0.description) })])
                return stop(.permissionDenied,
                            "input '\(input)': \(who) does not allow GET \(current.absoluteString) (granted: \(signer.scopeList)); nothing was sent")
            }
            if let c = signer.credential {
                metrics.credentialUses += 1
                emit(.credentialUsed, url: current, page: page, reason: c.kind.word,
                     details: ["scope": .string(scope.description), "method": "GET"])
            }
            attempts += 1
            lastRequestStartTime = time.uptime()
            metrics.requests += 1
            let (wireURL, headers) = signer.wire(current)
            let result = await transport.get(wireURL, headers: [("Accept", "application/json")] + settings.headers + headers, timeout: timeout)
            let capped: JSONValue = timeout < retry.attemptTimeoutSecs ? .number(JSONNumber(Int((timeout * 1000).rounded()))) : .null
            var retryAfter: Double?
            var reason: String
            var lastProblem = ""
            switch result {
            case .redirect(let status, let location):
                attempts -= 1
                // The attempt's row first, then whatever the breaker makes of it.
                emit(.fetched, url: current, page: page, reason: "redirect", details: ["status": .number(JSONNumber(status)), "attempt": .number(JSONNumber(attempts + 1))])
                record(success: true, host: host, url: current, page: page)
                guard let location, let target = URL(string: location, relativeTo: current)?.absoluteURL else {
                    return stop(.unavailable, "input '\(input)': \(current.absoluteString) redirected (\(status)) without a usable Location")
                }
                redirects += 1
                if redirects > retry.maxRedirects {
                    return stop(.unavailable, "input '\(input)': more than \(retry.maxRedirects) redirects from \(url.absoluteString)")
                }
                current = signer.strip(target)
                continue
            case .response(let status, let headers, let body):
                var fetched = FetchedPage(url: current, status: status, headers: headers, body: body, fetchedAt: time.now(), via: via)
                noteRateLimit(fetched)
                var problem: BodyProblem?
                if (200..<300).contains(status) {
                    switch PageBody.parse(fetched, settings: settings, maxDepth: maxDepth) {
                    case .success(let parsed): fetched.parsed = parsed
                    case .failure(let p): problem = p
                    }
                }
                emit(.fetched, url: current, page: page, reason: problem != nil ? "unusable_body" : status < 300 ? "ok" : "http_\(status)",
                     details: ["status": .number(JSONNumber(status)), "bytes": .number(JSONNumber(body.count)),
                               "attempt": .number(JSONNumber(attempts)), "via": .string(via.rawValue),
                               "problem": problem.map { .string($0.code) } ?? .null, "timeout_ms": capped])
                if (200..<300).contains(status), problem == nil {
                    record(success: true, host: host, url: current, page: page)
                    return .page(fetched)
                }
                if let problem {
                    // A body cut short with a matching Content-Length, an error page: the host
                    // did not give the page, which counts against it like a dropped connection.
                    record(success: false, host: host, url: current, page: page)
                    reason = "unusable_body"
                    lastProblem = " (\(problem.code): \(problem.message))"
                } else {
                    guard Self.isRetryable(status) else {
                        record(success: true, host: host, url: current, page: page)
                        let exit: ExitStatus = status == 401 || status == 403 ? .permissionDenied : .unavailable
                        return stop(exit, "input '\(input)': \(current.absoluteString) answered \(status); such an answer is not retried")
                    }
                    // 429 says the host is alive and busy: it does not count against the breaker.
                    if status != 429 { record(success: false, host: host, url: current, page: page) }
                    retryAfter = RetryAfter.seconds(fetched.header("retry-after"), now: time.now())
                    if let retryAfter { notBefore[host] = time.now().addingTimeInterval(retryAfter) }
                    reason = "http_\(status)"
                }
            case .tooLarge(let status, let limit):
                emit(.fetched, url: current, page: page, reason: "too_large", details: ["status": .number(JSONNumber(status)), "attempt": .number(JSONNumber(attempts))])
                record(success: true, host: host, url: current, page: page)
                return stop(.dataError, "input '\(input)': page \(page): the response to \(current.absoluteString) is larger than max_response_bytes (\(limit)); raise it to read this page (the input stays on it)")
            case .failure(let kind):
                emit(.fetched, url: current, page: page, reason: kind.rawValue, details: ["attempt": .number(JSONNumber(attempts)), "timeout_ms": capped])
                record(success: false, host: host, url: current, page: page)
                reason = kind.rawValue
            }
            metrics.failedAttempts += 1
            if attempts >= retry.maxAttempts {
                return .deferred(reason: "retries_exhausted", detail: "\(attempts) attempts, the last: \(reason)\(lastProblem)")
            }
            let delay: Double
            if let retryAfter {
                if retryAfter > retry.maxRetryAfterSecs {
                    return .deferred(reason: "retry_after_too_long",
                                     detail: "Retry-After \(Int(retryAfter)) s is over max_retry_after_secs (\(Int(retry.maxRetryAfterSecs)))")
                }
                delay = retryAfter
            } else {
                delay = backoff.delay(retry: attempts, random: random)
            }
            let after = time.uptime() + delay
            if after - pageStart >= retry.pageDeadlineSecs {
                return .deferred(reason: "page_deadline", detail: "page_deadline_secs (\(retry.pageDeadlineSecs)) would pass before the next attempt")
            }
            if after - runStart >= retry.runDeadlineSecs {
                return .deferred(reason: "run_deadline", detail: "run_deadline_secs (\(retry.runDeadlineSecs)) would pass before the next attempt")
            }
            metrics.retries += 1
            metrics.backoffSeconds += delay
            emit(.retried, url: current, page: page, reason: reason,
                 details: ["next_attempt": .number(JSONNumber(attempts + 1)), "delay_ms": .number(JSONNumber(Int((delay * 1000).rounded()))),
                           "retry_after": retryAfter.map { .number(JSONNumber($0)) } ?? .null])
            try? await time.sleep(seconds: delay)
        }
    }
}
