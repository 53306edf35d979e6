import Foundation
import SluiceCore
import SluiceJSON
import Testing

@Suite("http input: pagination, incremental sync, provenance, resume, fallbacks")
struct PaginationTests {
    static func ids(_ n: Int) -> [String] { (0..<n).map { String(format: "item-%04d", $0) } }

    @Test("cursor, offset, page number and Link pagination each read every item once and stop by themselves",
          arguments: [
            ("/v1/items", "records: /data\n  query: {limit: \"6\"}\n  pagination: {kind: cursor, cursor_pointer: /next_cursor}", 5),
            ("/v1/offset", "records: /results\n  pagination: {kind: offset, limit: 6, total_pointer: /total}", 5),
            ("/v1/offset", "records: /results\n  pagination: {kind: offset, limit: 10}", 3),
            ("/v1/pages", "pagination: {kind: page}", 5),
            ("/v1/link", "records: /data\n  pagination: {kind: link}", 6),
          ])
    func kinds(path: String, options: String, requests: Int) async throws {
        try await Loopback.run(items: 27) { server in
            let h = try server.pipeline(path, ["id: /id", options])
            let r = try await h.run()
            #expect(r.exitStatus == 0)
            #expect(try h.writtenIDs() == Self.ids(27))
            #expect(server.requests.count == requests, "\(server.requests.map(\.query))")
            let first = try #require(try h.lines("out/records.jsonl").first)
            let prov = first["_sluice"]
            #expect(prov?["locator"]?["page"]?.numberValue?.intValue == 1)
            #expect(prov?["locator"]?["index"]?.numberValue?.intValue == 0)
            #expect(prov?["uri"]?.stringValue?.hasPrefix(server.url(path)) == true)
            #expect(prov?["fetched_at"] != nil)
        }
    }

    @Test("max_pages stops a run, and the next run goes on from there")
    func maxPages() async throws {
        try await Loopback.run(items: 27) { server in
            let h = try server.pipeline("/v1/link", ["records: /data", "id: /id", "pagination: {kind: link, max_pages: 2}"])
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs() == Self.ids(10))
            for _ in 0..<2 { _ = try await h.run() }
            #expect(try h.writtenIDs() == Self.ids(27))
        }
    }

    @Test("incremental sync sends the newest value seen by the last complete run")
    func incremental() async throws {
        try await Loopback.run(items: 20) { server in
            let state = server.state
            let h = try server.pipeline("/v1/items", ["records: /data", "id: /id", "pagination: {kind: cursor, cursor_pointer: /next_cursor}",
                                                      "incremental: {field: /updated_at, param: since}"])
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs().count == 20)
            let newest = state.items.map { $0["updated_at"]! }.max()!
            #expect(h.httpCheckpoint?["completed_since"]?.stringValue == newest)
            #expect(!state.requests[0].query.contains("since"))
            state.set { s in
                s.items.append(["id": "item-new-1", "updated_at": "2026-12-01T00:00:00Z"])
                s.items.append(["id": "item-new-2", "updated_at": "2026-12-02T00:00:00Z"])
            }
            let before = state.requests.count
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs().suffix(2) == ["item-new-1", "item-new-2"])
            #expect(try h.writtenIDs().count == 22)
            #expect(state.requests[before].query.contains("since=\(newest.replacingOccurrences(of: ":", with: "%3A"))") ||
                    state.requests[before].query.contains("since=\(newest)"))
            #expect(h.httpCheckpoint?["completed_since"]?.stringValue == "2026-12-02T00:00:00Z")
        }
    }

    @Test("a source reopened from any checkpoint goes on with exactly the items not yet yielded")
    func resumeFromEveryCheckpoint() async throws {
        try await Loopback.run(items: 23) { server in
            let h = try server.pipeline("/v1/items", ["query: {limit: \"5\"}", "records: /data", "id: /id",
                                                      "pagination: {kind: cursor, cursor_pointer: /next_cursor}"])
            let input = try h.firstInput()
            let context = h.runContext()
            for cut in [0, 1, 4, 5, 6, 14, 22] {
                let first = try input.open(checkpoint: nil, context: context)
                var got = try await first.recordIDs(upTo: cut)
                let second = try input.open(checkpoint: first.checkpoint, context: context)
                got += try await second.recordIDs()
                #expect(got == Self.ids(23), "cut after \(cut)")
            }
        }
    }

    @Test("a secondary URL serves when the primary cannot, and says so")
    func secondaryFallback() async throws {
        try await Loopback.run(items: 4) { server in
            let h = try server.pipeline("/v1/status/503", ["records: /data", "id: /id", "retry: {max_attempts: 2}",
                                                           "fallback: {url: \"\(server.url("/v1/items"))\"}"])
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs() == Self.ids(4))
            let uri = try h.lines("out/records.jsonl").first?["_sluice"]?["uri"]?.stringValue
            #expect(uri?.hasPrefix(server.url("/v1/items")) == true)
            #expect(h.store.events.contains { $0.event == "fallback_used" && $0.details?["kind"]?.stringValue == "secondary" })
        }
    }

    @Test("the last good response from the cache serves during an outage, marked in provenance and audit")
    func cacheFallback() async throws {
        try await Loopback.run(items: 12) { server in
            let h = try server.pipeline("/v1/items", ["records: /data", "pagination: {kind: cursor, cursor_pointer: /next_cursor}",
                                                      "retry: {max_attempts: 2}", "fallback: {cache: true}"])
            #expect(try await h.run().exitStatus == 0)
            #expect(try h.writtenIDs().count == 12)
            server.state.set { $0.outage = true }
            server.clock.advance(3600)
            #expect(try await h.run().exitStatus == 0)
            let lines = try h.lines("out/records.jsonl")
            #expect(lines.count == 24)
            #expect(lines.last?["_sluice"]?["uri"]?.stringValue?.hasSuffix("#sluice-fallback=cache") == true)
            #expect(h.store.events.filter { $0.event == "fallback_used" && $0.details?["kind"]?.stringValue == "cache" }.count == 2)
        }
    }
}
