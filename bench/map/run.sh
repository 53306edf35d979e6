#!/usr/bin/env bash
# The `map` stage against the same mapping as a Python function, side by side (issue 13,
# "Measured"): `sluice-bench map` (release build) over N generated 1 KB records, then
# bench/map/python_peer.py over the very same records, then the ratios.
#   bench/map/run.sh [RECORDS]        (default 200000)
# SLUICE_BENCH_CONFIG=debug uses the debug build (for trying the script, never for figures);
# SLUICE_BENCH_SKIP_BUILD=1 uses the binary already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
records="${1:-200000}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
echo "machine: $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"

config="${SLUICE_BENCH_CONFIG:-release}"
if [ -z "${SLUICE_BENCH_SKIP_BUILD:-}" ]; then
  swift build -c "$config" --product sluice-bench >/dev/null
fi
bin="$(swift build -c "$config" --show-bin-path)"
echo "build: $config"

echo "== sluice-bench map"
"$bin/sluice-bench" map --records "$records" --write-data "$data" | tee "$data/swift.txt"
echo "== Python $(python3 -c 'import sys; print(sys.version.split()[0])'): json + re + datetime"
python3 bench/map/python_peer.py "$data" | tee "$data/python.txt"

value() { awk -F': ' -v k="$1" '$1 == k { split($2, a, " "); print a[1] }' "$data"/swift.txt "$data"/python.txt; }
two=$(value map_stage_2_threads_records_per_sec)
one=$(value map_stage_1_thread_records_per_sec)
py=$(value python_map_records_per_sec)
echo "== ratios"
awk -v t="$two" -v o="$one" -v p="$py" 'BEGIN {
  printf "map stage on 2 threads: %d records/s (target >= 150000)\n", t
  printf "sluice (2 threads) / python (1 process): %.1fx (target >= 20x)\n", t / p
  printf "sluice (1 thread) / python (1 process), per core: %.1fx\n", o / p
}'
