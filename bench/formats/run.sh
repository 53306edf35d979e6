#!/usr/bin/env bash
# Reading throughput and peak memory of the file input per format, next to Python's standard
# library on the same generated files (JSON Lines, a JSON array, CSV, an XML feed).
#   bench/formats/run.sh [MB] [SCRATCH_PATH]      (defaults: 200, .build)
# Run it at two sizes (say 50 and 500) to see that Sluice's peak RSS does not grow with the file.
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-200}"
scratch="${2:-.build}"
data="bench/data/formats-${mb}mb"

swift build -c release --scratch-path "$scratch" --product sluice-bench >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sluice-bench"
[ -f "$data/corpus.xml" ] || python3 bench/formats/generate.py "$data" "$mb"

for file in corpus.jsonl corpus.json corpus.csv corpus.xml; do
  extra=""; [ "$file" = corpus.xml ] && extra="item"
  "$bin" formats "$data/$file" $extra
  python3 bench/formats/peer.py "$data/$file"
done
