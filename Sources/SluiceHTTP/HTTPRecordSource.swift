import Foundation
import SluiceCore
import SluiceJSON

/// One run of an `http` input: fetches page after page, yields the records at `records`, and
/// keeps a checkpoint that describes exactly what was yielded (see `HTTPCheckpoint`).
final class HTTPRecordSource: RecordSource {
    let input: HTTPInput
    let fetcher: PageFetcher
    let paginator: Paginator
    let context: RunContext
    /// What has been handed to the runner so far; breakers and cache are filled in on read.
    var state: HTTPCheckpoint
    private var cache: [String: CachedPage]
    /// Items of the current page, each with the checkpoint that holds once it is yielded.
    var outbox: [(SourceItem, HTTPCheckpoint?)] = []
    private var outboxIndex = 0
    private var stopError: SluiceError?
    private var finished = false
    private var pagesThisRun = 0

    init(input: HTTPInput, checkpoint: HTTPCheckpoint, fetcher: PageFetcher, context: RunContext) {
        self.input = input
        self.fetcher = fetcher
        self.context = context
        paginator = Paginator(settings: input.settings, limitWritten: input.limitWritten)
        state = checkpoint
        cache = input.settings.fallback.cache ? checkpoint.cache : [:]
    }

    var checkpoint: Checkpoint {
        var s = state
        s.hosts = fetcher.hostMemory
        s.cache = cache
        return s.json
    }

    func next() async throws -> SourceItem? {
        while true {
            if outboxIndex < outbox.count {
                let (item, after) = outbox[outboxIndex]
                outboxIndex += 1
                if let after { state = after }
                return item
            }
            outbox.removeAll(keepingCapacity: true)
            outboxIndex = 0
            if let stopError { throw stopError }
            if finished { return nil }
            await step()
        }
    }

    /// Fetches one page (or finds that the run is over) and fills the outbox.
    private func step() async {
        let settings = input.settings
        if state.position == nil {
            // A new chain starts at most once per run: after a completed chain the run is done.
            guard pagesThisRun == 0 else { return finish() }
            state.since = state.completedSince ?? settings.incremental?.initial.map { .string($0) }
            state.newest = nil
            state.usedCache = false
            state.skip = 0
            state.position = paginator.first(since: state.since)
        }
        guard let position = state.position, let url = URL(string: position.url) else { return finish() }
        if pagesThisRun >= settings.pagination.maxPages {
            outbox.append((.notice(SourceNotice(code: "max_pages_reached", message: "input '\(input.name)': max_pages (\(settings.pagination.maxPages)) fetched; the next run goes on from page \(position.page)")), nil))
            return finish()
        }
        pagesThisRun += 1
        let outcome = await fetchWithFallbacks(url, position: position)
        for e in fetcher.drainEvents() { outbox.append((.event(e), nil)) }
        switch outcome {
        case .page(let page):
            takePage(page, position: position)
        case .deferred(let reason, let detail):
            // The checkpoint stays on this page (the last item's checkpoint says so): the next
            // run asks for it again, and nothing before it is read twice.
            outbox.append((.deferred(DeferredWork(description: "page \(position.page) of \(input.name) (\(detail)); the next run starts there",
                                                  reason: reason, uri: position.url)), nil))
            finish()
        case .stop(let error):
            finish()
            stopError = error
        }
    }

    /// Whether `url` is on the secondary URL (same origin, under its path) rather than the primary.
    private func isOnSecondary(_ url: URL) -> Bool {
        guard let fb = input.settings.fallback.url else { return false }
        let primary = input.settings.url
        let underPrimary = Self.origin(url) == Self.origin(primary) && url.path.hasPrefix(primary.path)
        return !underPrimary && Self.origin(url) == Self.origin(fb) && url.path.hasPrefix(fb.path)
    }

    static func origin(_ url: URL) -> String { PageFetcher.hostKey(url) }

    /// Per page: the primary URL, then the secondary URL, then the cache, as configured. Each
    /// page starts with the primary again, so the input is back on it as soon as it answers.
    private func fetchWithFallbacks(_ url: URL, position: PagePosition) async -> PageOutcome {
        let settings = input.settings
        let onSecondary = isOnSecondary(url)
        let primary = await fetcher.fetch(url, page: position.page, via: onSecondary ? .secondary : .primary)
        guard case .deferred(let reason, _) = primary else {
            if case .page(let p) = primary { remember(p, position: position) }
            return primary
        }
        if !onSecondary, let secondaryBase = settings.fallback.url, let secondary = Self.rebase(url, from: settings.url, onto: secondaryBase) {
            let result = await fetcher.fetch(secondary, page: position.page, via: .secondary)
            switch result {
            case .page(let p):
                fetcher.metrics.fallbacks += 1
                fetcher.emit(.fallbackUsed, url: secondary, page: position.page, reason: reason,
                             details: ["kind": "secondary", "primary": .string(url.absoluteString)])
                remember(p, position: position)
                return result
            case .stop: return result
            case .deferred: break
            }
        }
        if settings.fallback.cache, let cached = cache[paginator.cacheKey(position.url)] {
            var headers: [(String, String)] = []
            if let link = cached.link { headers.append(("link", link)) }
            if let ct = cached.contentType { headers.append(("content-type", ct)) }
            var page = FetchedPage(url: url, status: 200, headers: headers, body: cached.body, fetchedAt: cached.fetchedAt, via: .cache)
            guard case .success(let parsed) = PageBody.parse(page, settings: settings, maxDepth: context.limits.maxDepth) else { return primary }
            page.parsed = parsed
            fetcher.metrics.fallbacks += 1
            fetcher.metrics.cachePages += 1
            fetcher.emit(.fallbackUsed, url: url, page: position.page, reason: reason,
                         details: ["kind": "cache", "cached_at": .number(JSONNumber(cached.fetchedAt.timeIntervalSince1970))])
            state.usedCache = true
            return .page(page)
        }
        return primary
    }

    /// Keeps a good page for the cache fallback, within `cache_max_bytes` (oldest out first).
    private func remember(_ page: FetchedPage, position: PagePosition) {
        let limit = input.settings.fallback.cacheMaxBytes
        guard input.settings.fallback.cache, page.body.count <= limit else { return }
        cache[paginator.cacheKey(position.url)] = CachedPage(body: page.body, link: page.headerValues("link").first,
                                                             fetchedAt: page.fetchedAt, contentType: page.header("content-type"))
        var total = cache.values.reduce(0) { $0 + $1.body.count }
        for (key, entry) in cache.sorted(by: { $0.value.fetchedAt < $1.value.fetchedAt }) where total > limit {
            cache[key] = nil
            total -= entry.body.count
        }
    }

    /// `url` moved from the primary base onto the secondary one, path suffix and query kept.
    static func rebase(_ url: URL, from primary: URL, onto secondary: URL) -> URL? {
        guard var c = URLComponents(url: url, resolvingAgainstBaseURL: true),
              let s = URLComponents(url: secondary, resolvingAgainstBaseURL: true) else { return nil }
        let base = primary.path
        let suffix = c.path.hasPrefix(base) ? String(c.path.dropFirst(base.count)) : ""
        c.scheme = s.scheme
        c.host = s.host
        c.port = s.port
        c.path = s.path + suffix
        return c.url
    }

    func finish() {
        guard !finished else { return }
        finished = true
        // The state of every breaker this input knows, on every run (not only when it changes),
        // so that the metrics file says a breaker is still open while it is.
        for (host, b) in fetcher.breakers.sorted(by: { $0.key < $1.key }) {
            let url = URL(string: host) ?? input.settings.url
            fetcher.emit(.circuitState, url: url, page: 0, reason: b.state.rawValue,
                         details: ["host": .string(host), "state": .string(b.state.rawValue)])
        }
        for e in fetcher.drainEvents() { outbox.append((.event(e), nil)) }
        let m = fetcher.metrics
        for (code, count, what) in [("http_requests", m.requests, "requests sent"), ("http_retries", m.retries, "retries"),
                                    ("http_failed_attempts", m.failedAttempts, "failed attempts"),
                                    ("circuit_opened", m.breakerOpened, "circuit breaker openings"),
                                    ("circuit_short_circuited", m.shortCircuited, "pages refused by an open breaker"),
                                    ("fallbacks_used", m.fallbacks, "pages served by a fallback"),
                                    ("served_from_cache", m.cachePages, "pages served from the fallback cache (the run is degraded)"),
                                    ("credential_uses", m.credentialUses, "requests signed with a credential")] where count > 0 {
            outbox.append((.notice(SourceNotice(code: code, message: "input '\(input.name)': \(count) \(what)", count: count)), nil))
        }
    }
}
