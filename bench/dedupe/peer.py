#!/usr/bin/env python3
"""MinHash signatures per second with datasketch, on the same documents as `sluice-bench dedupe minhash`.

    peer.py gen FILE [N] [KIND]   write N (default 5000) seeded documents of about 2 KB, one JSON
                           string per line; KIND: english (default), cjk (680 CJK ideographs, no
                           spaces), accented (Latin words, one in ten with diacritics)
    peer.py bench FILE     datasketch MinHash, 128 permutations, lowercased word 5-shingles:
                           per-shingle update() (the usual loop) and update_batch()
"""
import json
import random
import sys
import time


def gen_other(path, n, kind):
    rng = random.Random(1)
    cjk = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    accented = "straße über größe maß café naïve déjà".split()
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(n):
            if kind == "cjk":
                f.write(json.dumps("".join(rng.choice(cjk) for _ in range(680)), ensure_ascii=False) + "\n")
                continue
            words, size = [], 0
            while size < 2000:
                w = rng.choice(accented) if rng.random() < 0.1 else "".join(rng.choice("abcdefghij") for _ in range(rng.randint(2, 8)))
                words.append(w)
                size += len(w.encode("utf-8")) + 1
            f.write(json.dumps(" ".join(words), ensure_ascii=False) + "\n")


def gen(path, n, kind="english"):
    if kind != "english":
        return gen_other(path, n, kind)
    rng = random.Random(2026)
    syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "sho", "bel", "tor", "ain", "qu", "ar"]
    vocab = ["".join(rng.choice(syll) for _ in range(rng.randint(1, 3))) for _ in range(8000)]
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(n):
            words = []
            size = 0
            while size < 2048:
                w = rng.choice(vocab)
                words.append(w.capitalize() if rng.random() < 0.05 else w)
                size += len(w) + 1
            f.write(json.dumps(" ".join(words)[:2048]) + "\n")


def shingles(text, k=5):
    words = text.lower().split()
    return [" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))]


def bench(path):
    from datasketch import MinHash
    docs = [json.loads(line) for line in open(path, encoding="utf-8")]
    print(f"minhash_docs: {len(docs)} docs")
    for mode in ("update", "update_batch"):
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            for d in docs:
                m = MinHash(num_perm=128)
                sh = shingles(d)
                if mode == "update":
                    for s in sh:
                        m.update(s.encode("utf-8"))
                else:
                    m.update_batch([s.encode("utf-8") for s in sh])
            best = min(best, time.process_time() - t0)
        print(f"datasketch_minhash_{mode}: {len(docs) / best:.0f} docs per CPU-second")


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5000, sys.argv[4] if len(sys.argv) > 4 else "english")
    else:
        bench(sys.argv[2])
