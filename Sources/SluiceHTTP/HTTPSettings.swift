public import Foundation
import SluiceCore
public import SluiceJSON

/// The `http` input's options, read and checked once at build time.
public struct HTTPSettings: Sendable {
    public enum PaginationKind: String, Sendable, CaseIterable {
        case none, cursor, offset, page, link
    }

    public struct Pagination: Sendable {
        public var kind: PaginationKind = .none
        public var cursorParam = "cursor"
        public var cursorPointer: JSONPointer?
        public var offsetParam = "offset"
        public var limitParam = "limit"
        public var limit = 100
        public var pageParam = "page"
        public var firstPage = 1
        /// Offset pagination stops when the item count reaches the number here.
        public var totalPointer: JSONPointer?
        public var maxPages = 1000
    }

    public struct Incremental: Sendable {
        public var field: JSONPointer
        public var param: String
        public var initial: String?
    }

    public struct Retry: Sendable {
        public var maxAttempts = 4
        public var initialBackoffMs = 1000
        public var maxBackoffSecs = 30.0
        public var attemptTimeoutSecs = 10.0
        public var maxRetryAfterSecs = 120.0
        public var pageDeadlineSecs = 300.0
        public var runDeadlineSecs = 3600.0
        public var maxRedirects = 5
    }

    public struct Breaker: Sendable {
        public var enabled = true
        public var failureRatio = 0.5
        public var minimumCalls = 10
        public var windowCalls = 20
        public var openSecs = 60.0
        public var halfOpenProbes = 2
    }

    public struct Fallback: Sendable {
        public var url: URL?
        public var cache = false
        public var cacheMaxBytes = 1 << 20
    }

    public var url: URL
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var recordsPointer: JSONPointer
    public var idPointer: JSONPointer?
    public var credential: String?
    public var contentTypes: [String]
    public var maxResponseBytes: Int
    public var maxRequestsPerSec: Double?
    public var pagination: Pagination
    public var incremental: Incremental?
    public var retry: Retry
    public var breaker: Breaker
    public var fallback: Fallback
}

extension HTTPSettings {
    init(options: ComponentOptions) throws {
        var problems: [ConfigDiagnostic] = []
        func check<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch let d as ConfigDiagnostic { problems.append(d); return nil } catch {
                problems.append(.error("invalid_option", "\(error)", at: options.node)); return nil
            }
        }
        let urlText = check { try options.requiredString("url") } ?? ""
        let parsedURL = Self.httpURL(urlText)
        if parsedURL == nil, !urlText.isEmpty {
            // The text is not echoed: a URL with user info carries a password.
            problems.append(SecretLookingOptions.refusal("option 'url' must be an absolute http or https URL without user info",
                                                         node: options.location("url"), code: "invalid_option"))
        }
        url = parsedURL ?? URL(fileURLWithPath: "/")
        query = Self.pairs(options.value("query"))
        headers = Self.pairs(options.value("headers"))
        problems += SecretLookingOptions.problems(url: urlText, query: query, headers: headers, options: options)
        recordsPointer = check { try options.pointer("records") } ?? .root
        idPointer = check { try options.pointer("id") }
        credential = check { try options.string("credential") }
        contentTypes = check { try options.strings("content_types") } ?? ["application/json", "application/*+json"]
        maxResponseBytes = check { try options.int("max_response_bytes") } ?? 16 << 20
        maxRequestsPerSec = check { try options.double("max_requests_per_sec") }

        let p = options.section("pagination")
        var pagination = Pagination()
        if let kind = check({ try p.string("kind") }) {
            if let k = PaginationKind(rawValue: kind) { pagination.kind = k } else {
                problems.append(.error("invalid_option", "pagination.kind must be one of none, cursor, offset, page, link; not '\(kind)'", at: p.location("kind")))
            }
        }
        pagination.cursorParam = check { try p.string("cursor_param") } ?? pagination.cursorParam
        pagination.cursorPointer = check { try p.pointer("cursor_pointer") }
        pagination.offsetParam = check { try p.string("offset_param") } ?? pagination.offsetParam
        pagination.limitParam = check { try p.string("limit_param") } ?? pagination.limitParam
        pagination.limit = check { try p.int("limit") } ?? pagination.limit
        pagination.pageParam = check { try p.string("page_param") } ?? pagination.pageParam
        pagination.firstPage = check { try p.int("first_page") } ?? pagination.firstPage
        pagination.totalPointer = check { try p.pointer("total_pointer") }
        pagination.maxPages = check { try p.int("max_pages") } ?? pagination.maxPages
        if pagination.kind == .cursor, pagination.cursorPointer == nil {
            problems.append(.error("missing_option", "pagination.kind 'cursor' needs pagination.cursor_pointer: where the next cursor is in each response (e.g. /next_cursor)",
                                   at: p.node, path: p.node.path + "/cursor_pointer"))
        }
        self.pagination = pagination

        let inc = options.section("incremental")
        if inc.isSet("field") || inc.isSet("param") {
            let field = check { try inc.pointer("field") }
            let param = check { try inc.string("param") }
            if let field, let param {
                incremental = Incremental(field: field, param: param, initial: check { try inc.string("initial") })
            } else {
                incremental = nil
                problems.append(.error("missing_option", "incremental needs both 'field' (the record field holding its change time) and 'param' (the query parameter to send it in)",
                                       at: inc.node))
            }
        } else { incremental = nil }

        let r = options.section("retry")
        var retry = Retry()
        retry.maxAttempts = check { try r.int("max_attempts") } ?? retry.maxAttempts
        retry.initialBackoffMs = check { try r.int("initial_backoff_ms") } ?? retry.initialBackoffMs
        retry.maxBackoffSecs = check { try r.double("max_backoff_secs") } ?? retry.maxBackoffSecs
        retry.attemptTimeoutSecs = check { try r.double("attempt_timeout_secs") } ?? retry.attemptTimeoutSecs
        retry.maxRetryAfterSecs = check { try r.double("max_retry_after_secs") } ?? retry.maxRetryAfterSecs
        retry.pageDeadlineSecs = check { try r.double("page_deadline_secs") } ?? retry.pageDeadlineSecs
        retry.runDeadlineSecs = check { try r.double("run_deadline_secs") } ?? retry.runDeadlineSecs
        retry.maxRedirects = check { try r.int("max_redirects") } ?? retry.maxRedirects
        self.retry = retry

        let b = options.section("circuit_breaker")
        var breaker = Breaker()
        breaker.enabled = check { try b.bool("enabled") } ?? breaker.enabled
        breaker.failureRatio = check { try b.double("failure_ratio") } ?? breaker.failureRatio
        breaker.minimumCalls = check { try b.int("minimum_calls") } ?? breaker.minimumCalls
        breaker.windowCalls = max(breaker.minimumCalls, check { try b.int("window_calls") } ?? breaker.windowCalls)
        breaker.openSecs = check { try b.double("open_secs") } ?? breaker.openSecs
        breaker.halfOpenProbes = check { try b.int("half_open_probes") } ?? breaker.halfOpenProbes
        self.breaker = breaker

        let f = options.section("fallback")
        var fallback = Fallback()
        if let text = check({ try f.string("url") }) {
            fallback.url = Self.httpURL(text)
            if fallback.url == nil {
                problems.append(SecretLookingOptions.refusal("fallback.url must be an absolute http or https URL without user info",
                                                             node: f.location("url"), code: "invalid_option"))
            }
            problems += SecretLookingOptions.problems(url: text, query: [], headers: [], options: f, option: "fallback.url")
        }
        fallback.cache = check { try f.bool("cache") } ?? false
        fallback.cacheMaxBytes = check { try f.int("cache_max_bytes") } ?? fallback.cacheMaxBytes
        self.fallback = fallback
        if !problems.isEmpty { throw ConfigDiagnostics(problems) }
    }

    static func httpURL(_ text: String) -> URL? {
        guard RequestTarget(text) != nil, let url = URL(string: text) else { return nil }
        return url
    }

    /// A mapping of strings, in the order written.
    static func pairs(_ node: ConfigNode?) -> [(String, String)] {
        node?.entries?.compactMap { e in e.value.scalar.map { (e.key, $0) } } ?? []
    }
}

extension ComponentOptions {
    /// The options of an object field, empty (with the descriptor's defaults) when not written.
    func section(_ name: String) -> ComponentOptions {
        if let sub = object(name) { return sub }
        guard case .object(let fields)? = fields.first(where: { $0.name == name })?.type else {
            return ComponentOptions(node: ConfigNode(.mapping([])), fields: [])
        }
        return ComponentOptions(node: ConfigNode(.mapping([]), path: node.path + "/" + name), fields: fields)
    }
}
