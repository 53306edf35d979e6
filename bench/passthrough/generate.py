#!/usr/bin/env python3
"""Writes a JSONL corpus of article-like documents of about 2 KB each (seeded, reproducible).

usage: generate.py OUT_DIR DOCUMENTS [FILES]
"""
import json, os, random, sys

WORDS = ("pipeline data record schema chunk index vector search ingest retry circuit breaker audit "
         "ledger quarantine encoding unicode duplicate version checkpoint batch stream output input "
         "stage commit crash resume token window overlap heading paragraph sentence").split()

def doc(i, rng):
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(230, 290)))
    return {
        "id": f"doc-{i:08d}",
        "title": " ".join(rng.choice(WORDS) for _ in range(6)).capitalize(),
        "author": {"name": f"Author {i % 977}", "email": f"a{i % 977}@example.org"},
        "published_at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z",
        "tags": rng.sample(WORDS, 3),
        "score": round(rng.random() * 100, 3),
        "url": f"https://example.org/articles/{i}",
        "body": body + " café naïve 東京 — “quoted”.",
    }

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    files = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    os.makedirs(out, exist_ok=True)
    rng = random.Random(42)
    per = (n + files - 1) // files
    i = 0
    for f in range(files):
        with open(os.path.join(out, f"part-{f:03d}.jsonl"), "w", encoding="utf-8") as fh:
            for _ in range(per):
                if i >= n:
                    break
                fh.write(json.dumps(doc(i, rng), ensure_ascii=False) + "\n")
                i += 1

if __name__ == "__main__":
    main()
