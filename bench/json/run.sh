#!/usr/bin/env bash
# JSON parse and parse+write throughput, side by side on the same generated JSONL corpus
# (seeded, article-like documents of about 2 KB): sluice-bench json (release build) against
# Python's json and orjson.
#   bench/json/run.sh [MB] [SCRATCH_PATH]      (defaults: 100, .build)
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-100}"
scratch="${2:-.build}"
data="bench/data/json-articles-${mb}mb.jsonl"
mkdir -p bench/data

swift build -c release --scratch-path "$scratch" --product sluice-bench >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sluice-bench"
echo "== sluice-bench json ($mb MB)"
"$bin" json --mb "$mb" --file "$data"

[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install --quiet orjson >/dev/null 2>&1 || echo "orjson could not be installed; measuring json only"
echo "== python $(bench/.venv/bin/python -c 'import sys; print(sys.version.split()[0])')"
bench/.venv/bin/python bench/json/peer.py "$data"
