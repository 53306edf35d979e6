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
        s.openBreakers = fetcher.openBreakerDates
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
        case .unusable(let code, let message, let at, let body):
            let failure = RecordFailure(code: RecordFailure.Code(code), message: "input '\(input.name)': \(message)",
                                        recordID: "\(paginator.cacheKey(position.url))#page",
                                        provenance: Provenance(input: input.name, uri: at.absoluteString, locator: Locator(page: position.page),
                                                              sha256: ContentHash.sha256Hex(body), fetchedAt: context.time.now(),
                                                              credential: input.settings.credential),
                                        original: body.isEmpty ? nil : RawBytes(body))
            // The chain cannot go on without this page's answer; it starts over next run.
            var after = state
            after.position = nil
            after.skip = 0
            outbox.append((.failure(failure), after))
            finish()
        case .deferred(let reason, let detail):
            outbox.append((.deferred(DeferredWork(description: "page \(position.page) of \(input.name) (\(detail)); the next run starts there",
                                                  reason: reason, uri: position.url)), nil))
            finish()
        case .stop(let error):
            stopError = error
        }
    }

    /// The primary URL, then the secondary URL, then the cache, as configured.
    private func fetchWithFallbacks(_ url: URL, position: PagePosition) async -> PageOutcome {
        let settings = input.settings
        let primary = await fetcher.fetch(url, page: position.page)
        guard case .deferred(let reason, _) = primary else {
            if case .page(let p) = primary { remember(p, position: position) }
            return primary
        }
        if let secondaryBase = settings.fallback.url, let secondary = Self.rebase(url, from: settings.url, onto: secondaryBase) {
            let result = await fetcher.fetch(secondary, page: position.page, via: .secondary)
            fetcher.metrics.fallbacks += 1
            fetcher.emit("fallback_used", url: secondary, page: position.page, reason: reason,
                         details: ["kind": "secondary", "primary": .string(url.absoluteString), "served": .bool(isPage(result))])
            switch result {
            case .page(let p): remember(p, position: position); return result
            case .stop: return result
            default: break
            }
        }
        if settings.fallback.cache, let cached = cache[paginator.cacheKey(position.url)] {
            fetcher.metrics.fallbacks += 1
            fetcher.emit("fallback_used", url: url, page: position.page, reason: reason,
                         details: ["kind": "cache", "cached_at": .number(JSONNumber(cached.fetchedAt.timeIntervalSince1970)), "served": true])
            state.usedCache = true
            var headers: [(String, String)] = []
            if let link = cached.link { headers.append(("link", link)) }
            if let ct = cached.contentType { headers.append(("content-type", ct)) }
            return .page(FetchedPage(url: url, status: 200, headers: headers, body: cached.body, fetchedAt: cached.fetchedAt, via: .cache))
        }
        return primary
    }

    private func isPage(_ o: PageOutcome) -> Bool { if case .page = o { return true } else { return false } }

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
        finished = true
        let m = fetcher.metrics
        for (code, count, what) in [("http_requests", m.requests, "requests sent"), ("http_retries", m.retries, "retries"),
                                    ("http_failed_attempts", m.failedAttempts, "failed attempts"),
                                    ("circuit_opened", m.breakerOpened, "circuit breaker openings"),
                                    ("circuit_short_circuited", m.shortCircuited, "pages refused by an open breaker"),
                                    ("fallbacks_used", m.fallbacks, "fallbacks tried"),
                                    ("credential_uses", m.credentialUses, "requests signed with a credential")] where count > 0 {
            outbox.append((.notice(SourceNotice(code: code, message: "input '\(input.name)': \(count) \(what)", count: count)), nil))
        }
    }
}
