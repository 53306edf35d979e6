#!/usr/bin/env python3
"""MinHash signatures per second with datasketch, on the same documents as `sluice-bench dedupe minhash`.

    peer.py gen FILE [N]   write N (default 5000) seeded English-like documents of about 2 KB,
                           one JSON string per line
    peer.py bench FILE     datasketch MinHash, 128 permutations, lowercased word 5-shingles:
                           per-shingle update() (the usual loop) and update_batch()
"""
import json
import random
import sys
import time


def gen(path, n):
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
        gen(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5000)
    else:
        bench(sys.argv[2])
