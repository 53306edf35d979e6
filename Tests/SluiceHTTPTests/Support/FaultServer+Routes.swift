import Foundation
import Hummingbird
import SluiceCore

struct InjectedReset: Error {}

extension FaultServer {
    static func json(_ text: String, status: HTTPResponse.Status = .ok, extra: [(String, String)] = []) -> Response {
        var r = Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        for (k, v) in extra { r.headers[.init(k)!] = v }
        return r
    }

    static func itemsJSON(_ items: ArraySlice<[String: String]>) -> String {
        items.map { "{\"id\":\"\($0["id"]!)\",\"updated_at\":\"\($0["updated_at"]!)\"}" }.joined(separator: ",")
    }

    /// Applies the request's fault; nil means answer normally.
    static func faulted(_ fault: Fault, state: ServerState, body: String) async throws -> Response? {
        switch fault {
        case .ok: return nil
        case .http500: return json("{\"error\":\"boom\"}", status: .internalServerError)
        case .http502: return json("{\"error\":\"bad gateway\"}", status: .badGateway)
        case .http503: return json("{\"error\":\"unavailable\"}", status: .serviceUnavailable)
        case .http429Seconds:
            return json("{}", status: .tooManyRequests, extra: [("Retry-After", String(state.retryAfterSeconds))])
        case .http429Date:
            let at = state.clock.now().addingTimeInterval(Double(state.retryAfterSeconds))
            return json("{}", status: .tooManyRequests, extra: [("Retry-After", httpDate(at))])
        case .hang:
            try await Task.sleep(nanoseconds: UInt64(state.hangSeconds * 1e9))
            return nil
        case .reset:
            // The head is announced with a length and the connection dies before any body byte.
            return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: String(body.utf8.count)],
                            body: ResponseBody { _ in throw InjectedReset() })
        case .truncated:
            let half = String(body.prefix(body.count / 2))
            return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: String(body.utf8.count)],
                            body: ResponseBody { writer in
                                try await writer.write(ByteBuffer(string: half))
                                throw InjectedReset()
                            })
        case .cutShort200:
            let half = String(body.prefix(body.count / 2))
            return json(half)
        case .trickle:
            let bytes = Array(body.utf8)
            return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: String(bytes.count)],
                            body: ResponseBody { writer in
                                var i = 0
                                while i < bytes.count {
                                    try await writer.write(ByteBuffer(bytes: bytes[i..<min(bytes.count, i + 16)]))
                                    i += 16
                                    try await Task.sleep(nanoseconds: 100_000_000)
                                }
                                try await writer.finish(nil)
                            })
        }
    }

    static func httpDate(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: d)
    }

    static func routes(_ router: Router<BasicRequestContext>, _ state: ServerState) {
        @Sendable func q(_ r: Request, _ k: String) -> String? { r.uri.queryParameters[Substring(k)].map(String.init) }
        @Sendable func auth(_ r: Request) -> String? { r.headers[.authorization] }
        @Sendable func filtered(_ r: Request) -> [[String: String]] {
            guard let since = q(r, "since") else { return state.items }
            return state.items.filter { $0["updated_at"]! > since }
        }

        router.get("/v1/items") { r, _ -> Response in
            let all = filtered(r)
            let start = Int(q(r, "cursor") ?? "0") ?? 0
            let limit = Int(q(r, "limit") ?? "10") ?? 10
            let end = min(all.count, start + limit)
            let next = end < all.count ? "\"\(end)\"" : "null"
            let body = "{\"data\":[\(itemsJSON(all[min(start, all.count)..<end]))],\"next_cursor\":\(next)}"
            let fault = state.nextFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return try await faulted(fault, state: state, body: body) ?? json(body)
        }
        router.get("/v1/offset") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            let all = filtered(r)
            let start = Int(q(r, "offset") ?? "0") ?? 0
            let limit = Int(q(r, "limit") ?? "10") ?? 10
            let end = min(all.count, start + limit)
            return json("{\"total\":\(all.count),\"results\":[\(itemsJSON(all[min(start, all.count)..<end]))]}")
        }
        router.get("/v1/pages") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            let page = Int(q(r, "page") ?? "1") ?? 1
            let size = 7
            let start = (page - 1) * size
            let end = min(state.items.count, start + size)
            return json("[\(itemsJSON(state.items[min(start, state.items.count)..<max(end, min(start, state.items.count))]))]")
        }
        router.get("/v1/link") { r, _ -> Response in
            let start = min(state.items.count, Int(q(r, "from") ?? "0") ?? 0)
            let end = min(state.items.count, start + (Int(q(r, "size") ?? "5") ?? 5))
            let size = q(r, "size").map { "&size=\($0)" } ?? ""
            var extra: [(String, String)] = []
            if end < state.items.count { extra.append(("Link", "</v1/link?from=0\(size)>; rel=\"first\", </v1/link?from=\(end)\(size)>; rel=\"next\"")) }
            let body = "{\"data\":[\(itemsJSON(state.items[start..<end]))]}"
            let fault = state.nextFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            if let faulted = try await faulted(fault, state: state, body: body) { return faulted }
            var ok = json(body)
            for (k, v) in extra { ok.headers[.init(k)!] = v }
            return ok
        }
        router.get("/v1/elsewhere") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            let port = r.head.authority?.split(separator: ":").last.map(String.init) ?? "80"
            return json("{\"data\":[\(itemsJSON(state.items[0..<2]))]}", extra: [("Link", "<http://127.0.0.2:\(port)/v1/items>; rel=\"next\"")])
        }
        router.get("/v1/redirect-out") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return Response(status: .found, headers: [.location: "http://127.0.0.2:9/v1/items"])
        }
        router.get("/v1/redirect-admin") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return Response(status: .found, headers: [.location: "/admin/items"])
        }
        router.get("/v1/redirect-in") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return Response(status: .temporaryRedirect, headers: [.location: "/v1/items?limit=100"])
        }
        router.get("/admin/items") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return json("{\"data\":[]}")
        }
        router.get("/v1/html") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>oops</html>")))
        }
        router.get("/v1/big") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return json("{\"data\":[\"" + String(repeating: "x", count: 100_000) + "\"]}")
        }
        router.get("/v1/status/:code") { r, ctx -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            let code = Int(ctx.parameters.get("code") ?? "500") ?? 500
            return json("{}", status: .init(code: code))
        }
        router.get("/v1/ratelimited") { r, _ -> Response in
            state.logNoFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            let page = Int(q(r, "page") ?? "1") ?? 1
            let start = min(state.items.count, (page - 1) * 2)
            let end = min(state.items.count, start + 2)
            return json("{\"data\":[\(itemsJSON(state.items[start..<end]))]}", extra: [("RateLimit-Remaining", "0"), ("RateLimit-Reset", "5")])
        }
        router.get("/v1/scripted") { r, _ -> Response in
            let body = "{\"data\":[\(itemsJSON(state.items[0..<min(3, state.items.count)]))]}"
            let fault = state.nextFault(path: r.uri.path, query: r.uri.query ?? "", authorization: auth(r))
            return try await faulted(fault, state: state, body: body) ?? json(body)
        }
    }
}
