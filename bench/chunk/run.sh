#!/usr/bin/env bash
# Chunking throughput side by side: `sluice-bench chunk` (release) and the Python splitters
# (LangChain RecursiveCharacterTextSplitter, semantic-text-splitter) on the same corpora
# (../shared/corpora/text) and sizes (512 and 2048 chars, 256 MiniLM tokens).
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
echo "# sluice ($BIN)"
"$BIN" chunk "$SHARED"
echo "# python peers"
bench/chunk/peers.py "$SHARED"
