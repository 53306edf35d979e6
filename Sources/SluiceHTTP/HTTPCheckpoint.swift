import Foundation
import SluiceCore
import SluiceJSON

/// The page to fetch: its URL (without any credential) and where it is in the pagination.
struct PagePosition: Sendable, Hashable {
    var url: String
    /// 1-based count of pages in this pagination chain.
    var page: Int
    /// The offset (offset pagination) or page number (page pagination) this URL asks for.
    var offset: Int?
    var pageNumber: Int?
}

/// What the `http` input keeps between runs (as the input's checkpoint, committed with each batch).
///
/// ```json
/// {"v": 1,
///  "position": {"url": "...?page=3", "page": 3, "page_number": 3},   // next page to fetch; null: start over
///  "skip": 2,                  // items of that page already yielded
///  "since": "2026-11-01",      // the incremental value the chain in progress sends
///  "newest": "2026-11-29",     // the newest incremental value seen in the chain so far
///  "completed_since": "...",   // the newest value of the last chain that reached its end
///  "breakers": {"http://host:80": {"opened_at": 1796000000.0,   // open (or half-open) since
///                                  "window": "ssfff",          // the breaker's last calls, across runs
///                                  "not_before": 1796000120.0}},  // a Retry-After or rate-limit reset
///  "cache": {"<url without since>": {"body": "...", "link": "...", "fetched_at": 1796000000.0}}}
/// ```
struct HTTPCheckpoint: Sendable {
    var position: PagePosition?
    var skip = 0
    var since: JSONValue?
    var newest: JSONValue?
    var completedSince: JSONValue?
    /// What is remembered per host: its breaker and when it may be asked again.
    var hosts: [String: HostMemory] = [:]
    var cache: [String: CachedPage] = [:]
    /// True once a fallback from the cache served a page of the chain in progress: the chain's
    /// newest value is then not trusted to advance `completed_since`.
    var usedCache = false

    init() {}

    init(_ json: JSONValue?) {
        guard let json, json["v"]?.numberValue?.intValue == 1 else { return }
        if let p = json["position"], let url = p["url"]?.stringValue, let page = p["page"]?.numberValue?.intValue {
            position = PagePosition(url: url, page: page, offset: p["offset"]?.numberValue?.intValue,
                                    pageNumber: p["page_number"]?.numberValue?.intValue)
        }
        skip = max(0, json["skip"]?.numberValue?.intValue ?? 0)
        since = json["since"].flatMap { $0.isNull ? nil : $0 }
        newest = json["newest"].flatMap { $0.isNull ? nil : $0 }
        completedSince = json["completed_since"].flatMap { $0.isNull ? nil : $0 }
        usedCache = json["used_cache"]?.boolValue ?? false
        for (host, v) in json["breakers"]?.objectValue?.members ?? [] {
            var m = HostMemory()
            if let t = v["opened_at"]?.numberValue?.doubleValue { m.openedAt = Date(timeIntervalSince1970: t) }
            if let t = v["not_before"]?.numberValue?.doubleValue { m.notBefore = Date(timeIntervalSince1970: t) }
            m.window = (v["window"]?.stringValue ?? "").compactMap { $0 == "s" ? true : $0 == "f" ? false : nil }
            if !m.isEmpty { hosts[host] = m }
        }
        for (key, v) in json["cache"]?.objectValue?.members ?? [] {
            guard let body = v["body"]?.stringValue, let t = v["fetched_at"]?.numberValue?.doubleValue else { continue }
            cache[key] = CachedPage(body: Array(body.utf8), link: v["link"]?.stringValue, fetchedAt: Date(timeIntervalSince1970: t),
                                    contentType: v["content_type"]?.stringValue)
        }
    }

    var json: JSONValue {
        var o = JSONObject()
        o["v"] = 1
        o["position"] = position.map { p in
            var po = JSONObject()
            po["url"] = .string(p.url)
            po["page"] = .number(JSONNumber(p.page))
            if let off = p.offset { po["offset"] = .number(JSONNumber(off)) }
            if let n = p.pageNumber { po["page_number"] = .number(JSONNumber(n)) }
            return .object(po)
        } ?? .null
        o["skip"] = .number(JSONNumber(skip))
        o["since"] = since ?? .null
        o["newest"] = newest ?? .null
        o["completed_since"] = completedSince ?? .null
        if usedCache { o["used_cache"] = true }
        if hosts.contains(where: { !$0.value.isEmpty }) {
            var b = JSONObject()
            for (host, m) in hosts.sorted(by: { $0.key < $1.key }) where !m.isEmpty {
                var e = JSONObject()
                if let t = m.openedAt { e["opened_at"] = .number(JSONNumber(t.timeIntervalSince1970)) }
                if !m.window.isEmpty { e["window"] = .string(String(m.window.map { $0 ? "s" : "f" })) }
                if let t = m.notBefore { e["not_before"] = .number(JSONNumber(t.timeIntervalSince1970)) }
                b[host] = .object(e)
            }
            o["breakers"] = .object(b)
        }
        if !cache.isEmpty {
            var c = JSONObject()
            for (key, page) in cache.sorted(by: { $0.key < $1.key }) {
                var e = JSONObject()
                e["body"] = .string(String(decoding: page.body, as: UTF8.self))
                if let link = page.link { e["link"] = .string(link) }
                if let ct = page.contentType { e["content_type"] = .string(ct) }
                e["fetched_at"] = .number(JSONNumber(page.fetchedAt.timeIntervalSince1970))
                c[key] = .object(e)
            }
            o["cache"] = .object(c)
        }
        return .object(o)
    }
}

/// What a run leaves behind about one host for the next: when its breaker opened (open or
/// half-open), its window of recent calls (`s` success, `f` failure; so a window fills across
/// runs), and the time before which the server asked not to be called (`Retry-After`, a
/// rate-limit reset).
struct HostMemory: Sendable, Equatable {
    var openedAt: Date?
    var window: [Bool] = []
    var notBefore: Date?
    var isEmpty: Bool { openedAt == nil && window.isEmpty && notBefore == nil }
}

/// The last good response for a page, kept for the `fallback.cache` option.
struct CachedPage: Sendable {
    var body: [UInt8]
    var link: String?
    var fetchedAt: Date
    var contentType: String?
}

/// Orders incremental values: numbers numerically, RFC 3339 / ISO 8601 date-times as instants
/// (so `2026-11-01T10:00:00+02:00` is older than `2026-11-01T09:00:00Z`), anything else by its
/// string form.
enum IncrementalOrder {
    static func newer(_ a: JSONValue, than b: JSONValue?) -> Bool {
        guard let b else { return true }
        if case .number(let x) = a, case .number(let y) = b { return y < x }
        if case .string(let x) = a, case .string(let y) = b, let ix = Instant(x), let iy = Instant(y) { return iy < ix }
        return text(a) > text(b)
    }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default: return JSONWriter.string(v)
        }
    }
}
