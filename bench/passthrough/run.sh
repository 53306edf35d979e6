#!/usr/bin/env bash
# Pass-through throughput and peak memory of `sluice run` (release build) on a large generated
# JSONL corpus and on one a tenth its size, side by side with `cat` and a Python json loop.
#   bench/passthrough/run.sh [DOCUMENTS]     (default 500000 ≈ 1.1 GB)
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-500000}"
data="bench/data/passthrough"
swift build -c release --product sluice >/dev/null
bin="$(swift build -c release --show-bin-path)/sluice"
for size in "$n" "$((n / 10))"; do
  dir="$data/$size"
  [ -d "$dir" ] || python3 bench/passthrough/generate.py "$dir" "$size"
  bytes=$(du -sb "$dir" | cut -f1)
  echo "== $size documents, $((bytes / 1000000)) MB"
  out="$data/out-$size"; rm -rf "$out"; mkdir -p "$out"
  start=$(date +%s.%N)
  cat "$dir"/*.jsonl > /dev/null
  end=$(date +%s.%N)
  echo "cat: $(python3 -c "print(f'{$bytes/($end-$start)/1e6:.0f} MB/s')")"
  BENCH_DATA="$PWD/$dir" BENCH_OUT="$PWD/$out" /usr/bin/time -f "sluice peak RSS: %M KB, wall %e s" \
    "$bin" run bench/passthrough/pipeline.yaml --quiet --summary "$out/summary.json" 2>&1 | grep -v "^20" || true
  python3 - "$out/summary.json" "$bytes" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); b = int(sys.argv[2]); t = s["duration_secs"]
print(f"sluice: {s['ledger']['received']} records in {t:.1f} s, {b / t / 1e6:.1f} MB/s, {s['ledger']['received'] / t:.0f} records/s")
PY
  python3 bench/passthrough/python_loop.py "$dir" "$out/python.jsonl"
done
