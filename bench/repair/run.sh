#!/usr/bin/env bash
# Encoding repair and charset detection, side by side on the same inputs: sluice-bench repair
# (release build) writes the inputs (clean corpus lines, mojibake made from them, the labelled
# charset set) and measures itself; then ftfy and charset-normalizer run on those files.
#   bench/repair/run.sh [MB] [SCRATCH_PATH] [BENCH_BINARY]     (defaults: 8, .build, built here)
# BENCH_BINARY lets a stand-alone build of the same RepairBench.swift be used instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-8}"
scratch="${2:-.build}"
data="bench/data/repair"
rm -rf "$data"
mkdir -p "$data"

if [ -n "${3:-}" ]; then
    bin="$3"
else
    swift build -c release --scratch-path "$scratch" --product sluice-bench >/dev/null
    bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sluice-bench repair"
fi
python3 bench/repair/held_out_samples.py "$data/held-out.tsv" 20
python3 bench/repair/held_out_samples.py --set2 "$data/held-out-2.tsv" 20
python3 bench/repair/held_out_samples.py --negatives "$data/negatives.txt"
echo "== sluice-bench repair ($mb MB of clean text)"
$bin --mb "$mb" --shared ../shared --samples bench/repair/charset-samples.tsv --held-out "$data/held-out.tsv" --held-out "$data/held-out-2.tsv" \
    --negatives "$data/negatives.txt" --write-data "$data"

[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install --quiet ftfy charset-normalizer >/dev/null 2>&1 || { echo "could not install ftfy/charset-normalizer"; exit 1; }
echo "== python $(bench/.venv/bin/python -c 'import sys; print(sys.version.split()[0])')"
bench/.venv/bin/python bench/repair/peer.py "$data"
