import Foundation
import SluiceJSON

/// Builds page URLs and finds the next page from a response, for every pagination kind.
struct Paginator: Sendable {
    let settings: HTTPSettings
    /// Whether `pagination.limit` was written (page pagination then sends it and stops on a short page).
    let limitWritten: Bool

    /// The first page of a chain, with the incremental value (if any).
    func first(since: JSONValue?) -> PagePosition {
        let p = settings.pagination
        switch p.kind {
        case .none, .cursor, .link:
            return PagePosition(url: build(since: since, extra: []).absoluteString, page: 1)
        case .offset:
            return PagePosition(url: build(since: since, extra: [(p.offsetParam, "0"), (p.limitParam, String(p.limit))]).absoluteString,
                                page: 1, offset: 0)
        case .page:
            return PagePosition(url: build(since: since, extra: pageParams(p.firstPage)).absoluteString, page: 1, pageNumber: p.firstPage)
        }
    }

    /// The page after `position`, or nil when the response says the chain has ended.
    func next(after position: PagePosition, page: FetchedPage, document: JSONValue, itemCount: Int, since: JSONValue?,
              strip: (URL) -> URL) -> PagePosition? {
        let p = settings.pagination
        switch p.kind {
        case .none:
            return nil
        case .cursor:
            guard itemCount > 0, let pointer = p.cursorPointer, let value = pointer.get(in: document) else { return nil }
            let cursor: String
            switch value {
            case .string(let s): cursor = s
            case .number(let n): cursor = n.text
            default: return nil
            }
            guard !cursor.isEmpty else { return nil }
            return PagePosition(url: build(since: since, extra: [(p.cursorParam, cursor)]).absoluteString, page: position.page + 1)
        case .offset:
            guard itemCount > 0, itemCount >= p.limit else { return nil }
            let offset = (position.offset ?? 0) + itemCount
            if let total = p.totalPointer?.get(in: document)?.numberValue?.intValue, offset >= total { return nil }
            return PagePosition(url: build(since: since, extra: [(p.offsetParam, String(offset)), (p.limitParam, String(p.limit))]).absoluteString,
                                page: position.page + 1, offset: offset)
        case .page:
            guard itemCount > 0 else { return nil }
            if limitWritten, itemCount < p.limit { return nil }
            let number = (position.pageNumber ?? p.firstPage) + 1
            if let total = p.totalPointer?.get(in: document)?.numberValue?.intValue, limitWritten,
               (number - p.firstPage) * p.limit >= total { return nil }
            return PagePosition(url: build(since: since, extra: pageParams(number)).absoluteString, page: position.page + 1, pageNumber: number)
        case .link:
            guard let target = LinkHeader.target(page.headerValues("link"), relation: "next", base: page.url) else { return nil }
            return PagePosition(url: strip(target).absoluteString, page: position.page + 1)
        }
    }

    private func pageParams(_ number: Int) -> [(String, String)] {
        var out = [(settings.pagination.pageParam, String(number))]
        if limitWritten { out.append((settings.pagination.limitParam, String(settings.pagination.limit))) }
        return out
    }

    /// `url` with the configured query, the incremental parameter and `extra`, each replacing a
    /// parameter of the same name already in the URL.
    func build(since: JSONValue?, extra: [(String, String)]) -> URL {
        var params = settings.query
        if let inc = settings.incremental, let since { params.append((inc.param, IncrementalOrder.text(since))) }
        params += extra
        guard var c = URLComponents(url: settings.url, resolvingAgainstBaseURL: true) else { return settings.url }
        let names = Set(params.map(\.0))
        var items = (c.queryItems ?? []).filter { !names.contains($0.name) }
        items += params.map { URLQueryItem(name: $0.0, value: $0.1) }
        c.queryItems = items.isEmpty ? nil : items
        c.percentEncodedQuery = c.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return c.url ?? settings.url
    }

    /// The key a page is cached under: its URL without the incremental parameter, so that the
    /// same page of a later chain finds it.
    func cacheKey(_ url: String) -> String {
        guard let inc = settings.incremental, var c = URLComponents(string: url), let items = c.queryItems else { return url }
        let kept = items.filter { $0.name != inc.param }
        c.queryItems = kept.isEmpty ? nil : kept
        return c.string ?? url
    }
}
