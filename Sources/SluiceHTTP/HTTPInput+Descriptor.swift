public import SluiceCore

extension HTTPInput {
    /// `type: http`.
    public static let descriptor = ComponentDescriptor(
        kind: .input,
        name: "http",
        summary: "Reads records from a paginated JSON API over HTTP(S), with scoped credentials, retries, circuit breakers and fallbacks.",
        description: """
            Sends `GET url` (plus `query`) and takes the records at the JSON Pointer `records` of each response body (an \
            array gives one record per item; an object gives one record). Responses must be JSON (`content_types`) and at \
            most `max_response_bytes`. Secret-looking query parameters (`token`, `api_key`, `key`, `access_token`, ...) in \
            `url`, `query` or `fallback.url`, and secret-looking headers (`Authorization`, `Cookie`, `X-Api-Key`, ...) in \
            `headers`, are refused: put them in the credentials file (`kind: query`, `kind: header`). Record ids: the `id` field's value when `id` is set, else `<page URL>#<index>`. \
            Provenance: the input's name, the URL that answered (never with a credential in it), the page (1-based) and \
            the item's index, the SHA-256 of the item as written back, the fetch time and the credential's name.

            **Pagination** (`pagination.kind`), each with `max_pages` pages per run (a run that stops there keeps its place \
            and the next run goes on): `cursor` sends `cursor_param` with the value at `cursor_pointer` in the previous \
            response and stops when it is missing, null or empty, or a page is empty; `offset` sends `offset_param` and \
            `limit_param` and stops at a short or empty page or when the offset reaches the number at `total_pointer`; `page` \
            sends `page_param` from `first_page` and stops at an empty page (with `limit` written: also sends `limit_param` \
            and stops at a short page); `link` follows `Link: <...>; rel="next"` until there is none.

            **Incremental sync** (`incremental`): the newest value of `field` (numbers by value, anything else as text, so \
            use ISO 8601 times) seen in a pagination chain that reached its end becomes the `param` sent by the next run; \
            the first run sends `initial` (or nothing). RFC 3339 date-times are compared as instants, so values with \
            different UTC offsets order correctly. It is kept in the input's checkpoint.

            **Credentials and scopes**: `credential` names an entry of the credentials file given with `--credentials` or \
            `SLUICE_CREDENTIALS` (never the pipeline). Before *every* request, including pagination links and each redirect \
            hop (redirects are followed by Sluice, never by the HTTP client), the method and final URL are checked against \
            the credential's scopes (`http:GET:https://api.example.com/v1/*`). A denied check sends nothing, records \
            `credential_denied` and stops the run with exit status 77. An input without a credential may only reach its \
            own URL's origin and the secondary URL's. `sluice validate` reports a credential that cannot cover the first \
            page; `sluice credentials check` lists needed and granted scopes.

            **Retries**: connection errors, timeouts (`attempt_timeout_secs`, on the wall clock: it bounds real I/O), \
            dropped connections, truncated bodies, 2xx bodies that cannot be read as what `records` expects (a JSON body \
            cut short with a matching `Content-Length`, an HTML error page, the wrong Content-Type, no array at \
            `records`), 408, 429 and 5xx are retried up to `max_attempts` attempts in all, after \
            a full-jitter exponential backoff (a uniform wait in `0 ..< min(max_backoff_secs, initial_backoff_ms * \
            2^(retry-1))`) or the server's `Retry-After` (seconds or an HTTP date). Other statuses are not retried: 401 and \
            403 stop the run with 77, others with 69; a body over `max_response_bytes` stops it with 65 (the input stays \
            on that page). A `Retry-After`, or a `RateLimit` reset (`RateLimit-Remaining: 0` with \
            `RateLimit-Reset`, or the structured `RateLimit` field), longer than `max_retry_after_secs` defers the page \
            rather than sleeping on it, and is remembered in the checkpoint: no later run calls that host before it has \
            passed. So do `page_deadline_secs` (all attempts at one page) and `run_deadline_secs`; each attempt's \
            timeout is cut to what is left of them, so they hold. `max_requests_per_sec` paces requests.

            **Circuit breaker**, one per host (scheme, host, port): it opens when, over the last `window_calls` calls (at \
            least `minimum_calls`; the window is kept in the checkpoint across runs, so an outage opens it even when one \
            run makes only `max_attempts` calls), the share of failures (5xx, 408, timeouts, connection errors, unreadable \
            bodies; not 429) reaches `failure_ratio`; while open (`open_secs`, remembered in the checkpoint across runs) no \
            request is sent to the host; then `half_open_probes` probe requests decide whether it closes again. Every run \
            ends with a `circuit_state` audit event per host, which the metrics file reports.

            **Fallbacks**, only where configured, per page (each page asks the primary first): `fallback.url` is tried \
            with the same path suffix and query when the primary cannot be had (its scope is checked like any other \
            request), and a `Link` it hands out under its base path is mapped back onto `url`, so the next page goes to \
            the primary again; `fallback.cache` keeps the last good \
            response of each page (up to `cache_max_bytes` in all, in the input's checkpoint in the state DB) and serves it \
            when both fail; such records have `#sluice-fallback=cache` on their provenance URI and their original fetch \
            time, a chain that used the cache does not advance the incremental value, and the run ends `degraded` (exit \
            0). Every page served by a fallback is one `fallback_used` audit event.

            **Deferral**: a page that cannot be had (retries exhausted, breaker open, `Retry-After` too long, a deadline) \
            and that no fallback serves is reported as deferred (counted as a page, `deferred_pages` in the summary and \
            metrics, not as a record: its records were not read): the records already read are kept, the checkpoint stays on \
            that page, the run exits 75 and the next run starts there: a chain always resumes at the first page not yet \
            committed, so no page is written twice. A crash resumes on the page being read, skipping the items already \
            committed.

            **Audit**: every attempt (`fetched`, with the status or failure), retry (`retried`, with the delay), breaker \
            transition (`circuit_opened`, `circuit_half_open`, `circuit_closed`), fallback (`fallback_used`) and credential \
            use (`credential_used`, `credential_denied`). Every row of a credential carries the same fingerprint: \
            HMAC-SHA256 of its name under the audit key, never anything derived from the secret. Counts of requests, \
            retries, breaker openings and fallbacks appear as notices in the run summary.

            Quarantined (the run goes on): `missing_field`/`wrong_type` (an item's `id`), `not_an_object` (an item). A page \
            is never quarantined: an unreadable body is retried, then deferred.
            """,
        fields: fields,
        status: .beta,
        examples: [
            """
            # Worked example: the items of a local test API (see pipelines/http-local.yaml), cursor pagination,
            # incremental by updated_at, a bearer token from the credentials file, tight retries.
            - name: items
              type: http
              url: http://127.0.0.1:8088/v1/items
              query: {limit: "50"}
              records: /data
              id: /id
              credential: local_api          # credentials.yaml: local_api: {kind: bearer, secret: env:LOCAL_API_TOKEN,
                                             #   scopes: ["http:GET:http://127.0.0.1:8088/v1/*"]}
              pagination: {kind: cursor, cursor_param: cursor, cursor_pointer: /next_cursor, max_pages: 100}
              incremental: {field: /updated_at, param: updated_since}
              max_requests_per_sec: 10
              retry: {max_attempts: 4, initial_backoff_ms: 500, max_backoff_secs: 10, attempt_timeout_secs: 5}
              circuit_breaker: {failure_ratio: 0.5, minimum_calls: 10, open_secs: 60}
              fallback: {cache: true}
            """,
            """
            # Offset pagination with a total, and a secondary URL when the primary is down.
            - name: orders
              type: http
              url: https://api.example.com/v1/orders
              records: /results
              pagination: {kind: offset, limit: 200, total_pointer: /count}
              fallback: {url: https://replica.example.com/v1/orders}
            """,
        ])

    static let fields: [FieldSpec] = [
        FieldSpec("url", .string, doc: "The first page's URL (http or https, no user info).", required: true,
                  example: "https://api.example.com/v1/items"),
        FieldSpec("query", .map(.string), doc: "Query parameters added to every request built from `url`.", example: "{limit: \"100\"}"),
        FieldSpec("headers", .map(.string), doc: "Extra request headers. Secret-looking ones (`Authorization`, `Cookie`, `X-Api-Key`, `*-Token`, ...) are refused: use `credential`.",
                  example: "{Accept-Language: en}"),
        FieldSpec("records", .pointer, doc: "JSON Pointer to the records in each response: an array (one record per item) or an object (one record); unset: the whole body.",
                  example: "/data"),
        FieldSpec("id", .pointer, doc: "JSON Pointer of each record's id (a string or number); unset: `<page URL>#<index>`.", example: "/id"),
        FieldSpec("credential", .string, doc: "The name of a credential in the credentials file; unset: requests carry no credential and may only reach the input's own origin.",
                  example: "example_api"),
        FieldSpec("content_types", .list(.string), doc: "Accepted response media types; `*` matches any run of characters.",
                  default: "[application/json, \"application/*+json\"]"),
        FieldSpec("max_response_bytes", .integer(min: 1), doc: "A larger response is not read further and the run stops with 65, the input staying on that page.", default: "16777216"),
        FieldSpec("max_requests_per_sec", .number(min: 0.001), doc: "Paces requests (on the injected clock); unset: no pacing.", example: "5"),
        FieldSpec("pagination", .object([
            FieldSpec("kind", .oneOf(HTTPSettings.PaginationKind.allCases.map(\.rawValue)), doc: "How to find the next page.", default: "none"),
            FieldSpec("cursor_param", .string, doc: "`cursor`: the query parameter that carries the cursor.", default: "cursor"),
            FieldSpec("cursor_pointer", .pointer, doc: "`cursor`: where the next cursor is in a response (required for `cursor`).", example: "/next_cursor"),
            FieldSpec("offset_param", .string, doc: "`offset`: the offset parameter.", default: "offset"),
            FieldSpec("limit_param", .string, doc: "`offset`, `page`: the page size parameter.", default: "limit"),
            FieldSpec("limit", .integer(min: 1), doc: "`offset`, `page`: the page size asked for; a shorter page is the last.", default: "100"),
            FieldSpec("page_param", .string, doc: "`page`: the page number parameter.", default: "page"),
            FieldSpec("first_page", .integer(min: 0), doc: "`page`: the first page's number.", default: "1"),
            FieldSpec("total_pointer", .pointer, doc: "`offset`, `page`: where the total item count is in a response; reaching it ends the chain.",
                      example: "/total"),
            FieldSpec("max_pages", .integer(min: 1), doc: "Pages per run; the next run goes on where this one stopped.", default: "1000"),
        ]), doc: "Pagination."),
        FieldSpec("incremental", .object([
            FieldSpec("field", .pointer, doc: "The record field whose newest value is remembered.", example: "/updated_at"),
            FieldSpec("param", .string, doc: "The query parameter that sends it.", example: "updated_since"),
            FieldSpec("initial", .string, doc: "The value the first run sends; unset: none.", example: "2026-01-01T00:00:00Z"),
        ]), doc: "Incremental sync: only what changed since the last complete run."),
        FieldSpec("retry", .object([
            FieldSpec("max_attempts", .integer(min: 1, max: 100), doc: "Attempts per page in all (the first included).", default: "4"),
            FieldSpec("initial_backoff_ms", .integer(min: 0), doc: "The backoff ceiling before the first retry; it doubles per retry.", default: "1000"),
            FieldSpec("max_backoff_secs", .number(min: 0), doc: "The cap of the backoff ceiling.", default: "30"),
            FieldSpec("attempt_timeout_secs", .number(min: 0.001), doc: "Wall-clock limit of one attempt, body included (hangs, slow trickles).", default: "10"),
            FieldSpec("max_retry_after_secs", .number(min: 0), doc: "A longer `Retry-After` or rate-limit reset defers the page to the next run.", default: "120"),
            FieldSpec("page_deadline_secs", .number(min: 0), doc: "Per-record deadline: all attempts and waits for one page (its records).", default: "300"),
            FieldSpec("run_deadline_secs", .number(min: 0), doc: "All requests of this input in one run; what is left is deferred.", default: "3600"),
            FieldSpec("max_redirects", .integer(min: 0, max: 20), doc: "Redirect hops per request (each scope-checked).", default: "5"),
        ]), doc: "Retries, timeouts and deadlines."),
        FieldSpec("circuit_breaker", .object([
            FieldSpec("enabled", .boolean, doc: "Whether to use a breaker.", default: "true"),
            FieldSpec("failure_ratio", .number(min: 0.01, max: 1), doc: "The share of failed calls that opens it.", default: "0.5"),
            FieldSpec("minimum_calls", .integer(min: 1), doc: "Calls in the window (kept across runs) before the ratio counts.", default: "10"),
            FieldSpec("window_calls", .integer(min: 1), doc: "How many recent calls the ratio is taken over (at least `minimum_calls`).", default: "20"),
            FieldSpec("open_secs", .number(min: 0), doc: "How long it stays open before probing.", default: "60"),
            FieldSpec("half_open_probes", .integer(min: 1), doc: "Successful probes that close it again.", default: "2"),
        ]), doc: "A circuit breaker per host."),
        FieldSpec("fallback", .object([
            FieldSpec("url", .string, doc: "A secondary base URL that replaces `url` (path suffix and query kept) when the primary cannot be had.",
                      example: "https://replica.example.com/v1/items"),
            FieldSpec("cache", .boolean, doc: "Serve the last good response of a page (kept in the checkpoint) when nothing else answers.", default: "false"),
            FieldSpec("cache_max_bytes", .integer(min: 0), doc: "The cache's size in all; oldest pages go first.", default: "1048576"),
        ]), doc: "Fallbacks, only where configured."),
    ]
}
