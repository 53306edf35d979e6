#!/usr/bin/env bash
# JSON parse and parse+write throughput, side by side on the same generated JSONL corpora
# (seeded, article-like documents of about 2 KB; one with a third of the words non-ASCII, one
# English-like and all ASCII): sluice-bench json (release build) against Python's json and orjson.
#   bench/json/run.sh [MB] [SCRATCH_PATH]      (defaults: 100, .build)
set -euo pipefail
cd "$(dirname "$0")/../.."
mb="${1:-100}"
scratch="${2:-.build}"
mkdir -p bench/data

swift build -c release --scratch-path "$scratch" --product sluice-bench >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sluice-bench"
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install --quiet orjson >/dev/null 2>&1 || echo "orjson could not be installed; measuring json only"
python="$(bench/.venv/bin/python -c 'import sys; print(sys.version.split()[0])')"

for kind in mixed ascii; do
  data="bench/data/json-articles-$kind-${mb}mb.jsonl"
  flag=""; [ "$kind" = ascii ] && flag="--ascii"
  echo "== $kind text, $mb MB: sluice-bench json"
  "$bin" json --mb "$mb" $flag --file "$data"
  echo "== $kind text, $mb MB: python $python"
  bench/.venv/bin/python bench/json/peer.py "$data"
done
