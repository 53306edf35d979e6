import Foundation
import SluiceCore
import SluiceJSON

/// Counts for the run summary (as notices) and the tests.
struct HTTPMetrics: Sendable {
    var requests = 0
    var failedAttempts = 0
    var retries = 0
    var backoffSeconds = 0.0
    var shortCircuited = 0
    var breakerOpened = 0
    /// Pages served by a fallback (the secondary URL or the cache), and by the cache alone.
    var fallbacks = 0
    var cachePages = 0
    var denied = 0
    var credentialUses = 0
}

extension PageFetcher {
    /// 408, 429 and 5xx are worth another attempt; other statuses will not change by asking again.
    static func isRetryable(_ status: Int) -> Bool {
        status == 408 || status == 429 || (500..<600).contains(status)
    }

    /// `scheme://host:port`: the unit a breaker guards.
    static func hostKey(_ url: URL) -> String {
        let t = RequestTarget(url.absoluteString)
        return "\(t?.scheme ?? "http")://\(t?.host ?? "?"):\(t?.port ?? 0)"
    }

    func record(success: Bool, host: String, url: URL, page: Int) {
        guard var b = breakers[host] else { return }
        let t = b.record(success: success, now: time.now())
        breakers[host] = b
        if let t { note(t, host: host, url: url, page: page) }
    }

    func note(_ t: CircuitBreaker.Transition, host: String, url: URL, page: Int) {
        let event: AuditEventKind
        switch t.to {
        case .open: event = .circuitOpened; metrics.breakerOpened += 1
        case .halfOpen: event = .circuitHalfOpen
        case .closed: event = .circuitClosed
        }
        emit(event, url: url, page: page, reason: "\(t.from.rawValue)_to_\(t.to.rawValue)",
             details: ["host": .string(host), "failures": .number(JSONNumber(t.failures)), "calls": .number(JSONNumber(t.calls)),
                       "open_secs": .number(JSONNumber(settings.breaker.openSecs))])
    }

    /// Waits (on the injected clock) for `max_requests_per_sec`, for a `RateLimit` reset and
    /// until `notBefore` (a `Retry-After` remembered from an earlier run).
    func pace(until notBefore: Date? = nil) async {
        let wait = paceWait(until: notBefore)
        if wait > 0 { try? await time.sleep(seconds: wait) }
    }

    /// How long `pace(until:)` would wait now.
    func paceWait(until notBefore: Date? = nil) -> Double {
        var wait = 0.0
        if let rate = settings.maxRequestsPerSec, rate > 0, let last = lastRequestStartTime {
            wait = max(wait, last + 1 / rate - time.uptime())
        }
        if let until = rateLimitedUntil { wait = max(wait, until - time.uptime()) }
        if let notBefore { wait = max(wait, notBefore.timeIntervalSince(time.now())) }
        return wait
    }

    /// Adds an audit event. With a credential, its *name* goes in `details.credential`: the
    /// state store replaces it by the one fingerprint of that name, HMAC-SHA256 keyed by the
    /// audit key (as for `received` rows), so every row of one credential carries the same
    /// fingerprint and nothing derived from the secret is ever stored.
    func emit(_ event: AuditEventKind, url: URL, page: Int, reason: String? = nil, details: KeyValuePairs<String, JSONValue> = [:]) {
        var d = JSONObject()
        for (k, v) in details where !v.isNull {
            if case .string(let s) = v { d[k] = .string(signer.redact(s)) } else { d[k] = v }
        }
        if let c = signer.credential { d["credential"] = .string(c.name) }
        events.append(AuditEvent(event, time: time.now(), input: input, uri: signer.redact(url.absoluteString),
                               locator: Locator(page: page), reason: reason, details: .object(d)))
    }
}


extension PageFetcher {
    /// After a response that says nothing remains of the rate limit, the next request waits
    /// for the reset (the wait is capped like `Retry-After`; past the cap the next page is deferred).
    func noteRateLimit(_ page: FetchedPage) {
        guard let wait = RateLimitHeaders.waitSeconds({ page.header($0) }, now: time.now()), wait > 0 else { return }
        rateLimitedUntil = time.uptime() + wait
    }

    /// Seconds until the rate limit resets, if one is pending.
    var rateLimitWait: Double? {
        guard let until = rateLimitedUntil else { return nil }
        let w = until - time.uptime()
        return w > 0 ? w : nil
    }
}
