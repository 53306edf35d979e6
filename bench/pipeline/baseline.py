#!/usr/bin/env python3
"""The job of pipelines/messy-reference.yaml as a plain single-threaded Python script, the way a
user would write it with the usual libraries: ftfy (repair), jsonschema (validation), datasketch
(MinHash LSH near-duplicates), langchain-text-splitters (chunking), sqlite3 and json (outputs).

    baseline.py CORPUS_DIR OUT_DIR SCHEMA

Reads CORPUS_DIR/files/<format>/* in the same order as the pipeline, writes OUT_DIR/records.jsonl,
OUT_DIR/records.db and OUT_DIR/quarantine.jsonl, and prints `python: N records in T s`.
It does what Sluice does minus the audit trail, crash safety and incremental state.
"""
import csv, glob, gzip, hashlib, html.parser, io, json, os, re, sqlite3, sys, time, unicodedata
import xml.etree.ElementTree as ET

import ftfy, jsonschema, yaml
from datasketch import MinHash, MinHashLSH
from langchain_text_splitters import RecursiveCharacterTextSplitter

corpus, out_dir, schema_path = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out_dir, exist_ok=True)
start = time.time()


def raw(path):
    with open(path, "rb") as fh:
        data = fh.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def decode(data, declared=None):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    for enc in [e for e in (declared, "utf-8") if e]:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.title, self.paras, self.lang = {}, "", [], None
        self.in_title = self.in_article = self.in_p = False
        self.buf = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html": self.lang = a.get("lang")
        elif tag == "meta" and "name" in a: self.meta[a["name"]] = a.get("content", "")
        elif tag == "title": self.in_title = True
        elif tag == "article": self.in_article = True
        elif tag == "p" and self.in_article: self.in_p, self.buf = True, []

    def handle_endtag(self, tag):
        if tag == "title": self.in_title = False
        elif tag == "article": self.in_article = False
        elif tag == "p" and self.in_p:
            self.in_p = False
            self.paras.append("".join(self.buf).strip())

    def handle_data(self, d):
        if self.in_title: self.title += d
        elif self.in_p: self.buf.append(d)


def headers_and_body(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields, i = {}, 0
    while i < len(lines) and lines[i].strip():
        k, _, v = lines[i].partition(":")
        fields[k.strip().lower().replace(" ", "_").replace("-", "_")] = v.strip()
        i += 1
    return fields, "\n".join(lines[i + 1:]).rstrip("\n")


def records():
    """(id, record or None, error reason) in the pipeline's reading order."""
    base = os.path.join(corpus, "files")
    for path in sorted(glob.glob(base + "/jsonl/*")):
        for n, line in enumerate(decode(raw(path)).splitlines()):
            if not line.strip(): continue
            try:
                yield json.loads(line), None
            except RecursionError:
                yield {"_where": f"{path}#L{n + 1}"}, "too_deep"
            except ValueError:
                yield {"_where": f"{path}#L{n + 1}"}, "malformed"
    for path in sorted(glob.glob(base + "/json/*")):
        for r in json.loads(raw(path)):
            yield r, None
    for path in sorted(glob.glob(base + "/csv/*")):
        rows = csv.reader(io.StringIO(decode(raw(path)), newline=""))
        header = next(rows)
        for n, row in enumerate(rows):
            if len(row) != len(header):
                yield {"_where": f"{path}#{n}"}, "malformed"
            else:
                yield dict(zip(header, row)), None
    for path in sorted(glob.glob(base + "/xml/*")):
        for el in ET.fromstring(raw(path)).iter("doc"):
            yield {c.tag: c.text or "" for c in el}, None
    for path in sorted(glob.glob(base + "/text/*")):
        fields, body = headers_and_body(decode(raw(path)))
        fields["body"] = body
        yield fields, None
    for path in sorted(glob.glob(base + "/markdown/*")):
        text = decode(raw(path)).replace("\r\n", "\n").replace("\r", "\n")
        parts = text.split("---\n", 2)
        if len(parts) != 3 or parts[0]:
            yield {"_where": path}, "malformed"
            continue
        try:
            r = yaml.safe_load(parts[1])
        except yaml.YAMLError:
            yield {"_where": path}, "malformed"
            continue
        r["body"] = parts[2].rstrip("\n")
        yield r, None
    for path in sorted(glob.glob(base + "/html/*")):
        data = raw(path)
        m = re.search(rb'<meta charset="([^"]+)"', data)
        p = Page()
        p.feed(decode(data, m.group(1).decode() if m else None))
        r = {"id": p.meta.get("id"), "article_id": p.meta.get("article_id"), "updated_at": p.meta.get("updated_at"),
             "lang": p.lang, "title": p.title, "body": "\n\n".join(p.paras)}
        yield r, None


validator = jsonschema.Draft202012Validator(json.load(open(schema_path)), format_checker=jsonschema.FormatChecker())
splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
lsh = MinHashLSH(threshold=0.8, num_perm=128)
exact, newest = {}, {}
out = open(os.path.join(out_dir, "records.jsonl"), "w", encoding="utf-8")
quarantine = open(os.path.join(out_dir, "quarantine.jsonl"), "w", encoding="utf-8")
db = sqlite3.connect(os.path.join(out_dir, "records.db"))
db.execute("CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, parent TEXT, doc TEXT)")
counts = {"received": 0, "written": 0, "quarantined": 0, "dropped": 0}


def shingles(text):
    tokens = text.lower().split()
    if len(tokens) < 8:  # scripts without spaces: characters
        tokens = [c for c in text if not c.isspace()]
    return {" ".join(tokens[i:i + 5]) for i in range(max(1, len(tokens) - 4))}


for r, error in records():
    counts["received"] += 1
    if error:
        counts["quarantined"] += 1
        quarantine.write(json.dumps({"code": error, "where": r["_where"]}) + "\n")
        continue
    for k in ("title", "body"):
        if isinstance(r.get(k), str):
            r[k] = ftfy.fix_text(r[k])
    errors = list(validator.iter_errors(r))
    if errors:
        counts["quarantined"] += 1
        quarantine.write(json.dumps({"code": "schema_violation", "record_id": r.get("id"),
                                     "errors": [e.message for e in errors]}, ensure_ascii=False) + "\n")
        continue
    prev = newest.get(r["article_id"])
    if prev and prev[0] >= r["updated_at"]:
        counts["dropped"] += 1
        continue
    key = hashlib.sha256(" ".join(unicodedata.normalize("NFC", r["title"] + "\n" + r["body"]).split()).encode()).hexdigest()
    if key in exact:
        counts["dropped"] += 1
        continue
    m = MinHash(num_perm=128)
    for s in shingles(r["body"]):
        m.update(s.encode())
    if lsh.query(m):
        counts["dropped"] += 1
        continue
    if prev:  # a newer version: the old one's chunks go
        db.execute("DELETE FROM chunks WHERE parent = ?", (prev[1],))
        out.write(json.dumps({"_superseded": prev[1], "by": r["id"]}) + "\n")
    newest[r["article_id"]] = (r["updated_at"], r["id"])
    exact[key] = r["id"]
    lsh.insert(r["id"], m)
    counts["written"] += 1
    for i, text in enumerate(splitter.split_text(r["body"])):
        chunk = {"doc_id": r["id"], "index": i, "text": text, "title": r["title"], "lang": r["lang"]}
        line = json.dumps(chunk, ensure_ascii=False)
        out.write(line + "\n")
        db.execute("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?)", (f"{r['id']}#{i}", r["id"], line))
db.commit()
out.close(); quarantine.close()
t = time.time() - start
print(f"python: {counts['received']} records in {t:.2f} s ({counts['received'] / t:.0f} records/s), "
      f"written {counts['written']}, quarantined {counts['quarantined']}, dropped {counts['dropped']}")
