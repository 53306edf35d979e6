#!/usr/bin/env bash
# Chunking throughput side by side: `sluice-bench chunk` (release) and the Python splitters
# (LangChain RecursiveCharacterTextSplitter, semantic-text-splitter) on the same corpora
# (../shared/corpora/text) and sizes (512 and 2048 chars, 256 MiniLM tokens), then a table of
# the recursive-strategy figures with sluice's speed-up over the faster peer.
#   bench/chunk/run.sh [SHARED_DIR]
# Builds in .build-chunk-release; set SLUICE_BENCH_BIN to use an already built sluice-bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED="${1:-${SLUICE_SHARED:-$(cd .. && pwd)/shared}}"
BIN="${SLUICE_BENCH_BIN:-}"
if [ -z "$BIN" ]; then
  swift build -c release --scratch-path .build-chunk-release --product sluice-bench >&2
  BIN=.build-chunk-release/release/sluice-bench
fi
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
echo "# sluice ($BIN)"
"$BIN" chunk "$SHARED" | tee "$OUT"
echo "# python peers"
bench/chunk/peers.py "$SHARED" | tee -a "$OUT"
echo "# recursive strategy, MB/s (higher is better)"
awk -F'[/: ]+' '$4 == "recursive" && $7 == "MB" {
    key = $2 " " $5; rate[key, $3] = $6; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
  END {
    printf "%-34s %10s %10s %10s %8s\n", "text size", "sluice", "langchain", "sts", "speedup"
    for (i = 0; i < n; i++) {
      k = order[i]; s = rate[k, "sluice"]; l = rate[k, "langchain"]; t = rate[k, "semantic-text-splitter"]
      best = (l > t) ? l : t
      printf "%-34s %10s %10s %10s %7.1fx\n", k, s, l, t, (best > 0) ? s / best : 0
    }
  }' "$OUT"
