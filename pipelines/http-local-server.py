#!/usr/bin/env python3
"""A local sample API for pipelines/http-local.yaml: serves samples/articles.jsonl on
127.0.0.1:8088 as cursor-paginated JSON, and only to `Authorization: Bearer $LOCAL_API_TOKEN`.

    LOCAL_API_TOKEN=dev-token python3 pipelines/http-local-server.py
"""
import json
import os
import pathlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOKEN = os.environ.get("LOCAL_API_TOKEN", "")


def articles():
    out = []
    for i, line in enumerate((ROOT / "samples" / "articles.jsonl").read_text(encoding="utf-8", errors="replace").splitlines()):
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict):
            doc.setdefault("updated_at", "2026-11-%02dT00:00:00Z" % (1 + i % 28))
            out.append(doc)
    return out


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if self.headers.get("Authorization") != "Bearer " + TOKEN or not TOKEN:
            return self.reply(401, {"error": "unauthorized"})
        if url.path != "/v1/articles":
            return self.reply(404, {"error": "not found"})
        q = parse_qs(url.query)
        items = articles()
        since = q.get("updated_since", [None])[0]
        if since:
            items = [a for a in items if str(a.get("updated_at", "")) > since]
        start = int(q.get("cursor", ["0"])[0])
        limit = int(q.get("limit", ["10"])[0])
        page = items[start:start + limit]
        nxt = str(start + limit) if start + limit < len(items) else None
        self.reply(200, {"data": page, "next_cursor": nxt})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", 8088), Handler).serve_forever()
