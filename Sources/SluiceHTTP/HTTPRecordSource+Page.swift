import Foundation
import SluiceCore
import SluiceJSON

extension HTTPRecordSource {
    /// Turns a page into records, each carrying the checkpoint that holds once it is yielded;
    /// the page's last item moves the checkpoint on to the next page, or ends the chain. The
    /// page's body was read by the fetcher (`PageBody.parse`): one that could not be is retried
    /// and deferred there, never quarantined here, so a chain is never cut short.
    func takePage(_ page: FetchedPage, position: PagePosition) {
        let settings = input.settings
        let display = page.via == .cache ? page.url.absoluteString + "#sluice-fallback=cache" : page.url.absoluteString
        guard let parsed = page.parsed else {
            outbox.append((.deferred(DeferredWork(description: "page \(position.page) of \(input.name) was not read; the next run starts there",
                                                  reason: "unusable_body", uri: position.url)), nil))
            return finish()
        }
        let (document, items) = (parsed.document, parsed.items)
        var next = paginator.next(after: position, page: page, document: document, itemCount: items.count,
                                  since: state.since, strip: { fetcher.signer.strip($0) })
        // A link the secondary URL handed out leads back to the primary when it is under the
        // secondary's base path: the next page asks the primary first again.
        if page.via == .secondary, let n = next, let fb = settings.fallback.url, let u = URL(string: n.url),
           Self.origin(u) == Self.origin(fb), u.path.hasPrefix(fb.path), let mapped = Self.rebase(u, from: fb, onto: settings.url) {
            next?.url = mapped.absoluteString
        }
        var running = state
        let skip = min(running.skip, items.count)
        if skip == items.count {
            // Nothing left on this page (an empty page, or all yielded before a crash).
            advance(&running, to: next)
            state = running
            return
        }
        for i in skip..<items.count {
            let item = items[i]
            let bytes = JSONWriter.bytes(item)
            let provenance = Provenance(input: input.name, uri: display, locator: Locator(index: i, page: position.page),
                                        sha256: ContentHash.sha256Hex(bytes), fetchedAt: page.fetchedAt, credential: settings.credential)
            let derivedID = "\(paginator.cacheKey(position.url))#\(i)"
            var yielded: SourceItem
            if case .object = item {
                if let inc = settings.incremental, let v = inc.field.get(in: item), !v.isNull,
                   IncrementalOrder.newer(v, than: running.newest) {
                    running.newest = v
                }
                if let idPointer = settings.idPointer {
                    switch idPointer.get(in: item) {
                    case .string(let s)?: yielded = .record(Record(id: s, value: item, provenance: provenance))
                    case .number(let n)?: yielded = .record(Record(id: n.text, value: item, provenance: provenance))
                    case nil:
                        yielded = .failure(RecordFailure(code: .missingField, message: "no id at '\(idPointer)'", recordID: derivedID,
                                                         provenance: provenance, pointer: idPointer.description, original: RawBytes(bytes)))
                    case let other?:
                        yielded = .failure(RecordFailure(code: .wrongType, message: "the id at '\(idPointer)' is \(other.typeName), not a string or number",
                                                         recordID: derivedID, provenance: provenance, pointer: idPointer.description, original: RawBytes(bytes)))
                    }
                } else {
                    yielded = .record(Record(id: derivedID, value: item, provenance: provenance))
                }
            } else {
                yielded = .failure(RecordFailure(code: .notAnObject, message: "item \(i) of page \(position.page) is \(item.typeName), not an object",
                                                 recordID: derivedID, provenance: provenance, original: RawBytes(bytes)))
            }
            if i == items.count - 1 { advance(&running, to: next) } else { running.skip = i + 1 }
            outbox.append((yielded, running))
        }
    }

    /// Moves a checkpoint past the current page: to `next`, or to the end of the chain, which
    /// makes the newest incremental value the next chain's `since` (unless a cached page was used).
    private func advance(_ cp: inout HTTPCheckpoint, to next: PagePosition?) {
        cp.skip = 0
        cp.position = next
        if next == nil {
            if !cp.usedCache, let newest = cp.newest { cp.completedSince = newest }
            else if !cp.usedCache, cp.completedSince == nil { cp.completedSince = cp.since }
        }
    }
}

/// Content-Type checks: a page must say it is JSON (or one of `content_types`).
enum ContentTypeCheck {
    static func problem(_ header: String?, accepted: [String]) -> String? {
        guard let header else { return "the response has no Content-Type (accepted: \(accepted.joined(separator: ", ")))" }
        let mediaType = header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        for pattern in accepted {
            let p = pattern.lowercased()
            if p == mediaType { return nil }
            if let star = p.firstIndex(of: "*") {
                let prefix = p[..<star], suffix = p[p.index(after: star)...]
                if mediaType.hasPrefix(prefix), mediaType.hasSuffix(suffix), mediaType.count >= p.count - 1 { return nil }
            }
        }
        return "the response is '\(mediaType)', not one of \(accepted.joined(separator: ", "))"
    }
}
