#!/usr/bin/env bash
# MinHash signatures per second on the same ~2 KB documents (128 permutations, word 5-shingles):
# sluice-bench dedupe (release) against Python datasketch; then the dedupe stage over N documents
# with its on-disk index (throughput, peak memory) and the accuracy scores.
#   bench/dedupe/run.sh [STAGE_DOCS] [SCRATCH_PATH]      (defaults: 1000000, .build-dedupe-release)
# Stage documents are 400 words, about 2 KB (`sluice-bench dedupe stage N WORDS` for others); the
# 1,000,000-document stage run takes about 15 minutes on 2 shared cores and 1.5 GB of disk in the
# temporary folder (removed at the end). A quick look: bench/dedupe/run.sh 20000
set -euo pipefail
cd "$(dirname "$0")/../.."
docs="${1:-1000000}"
scratch="${2:-.build-dedupe-release}"
mkdir -p bench/data/dedupe
data=bench/data/dedupe/docs.jsonl

swift build -c release --scratch-path "$scratch" --product sluice-bench >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/sluice-bench"
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install --quiet datasketch >/dev/null
[ -f "$data" ] || bench/.venv/bin/python bench/dedupe/peer.py gen "$data" 5000

echo "== MinHash signatures, 2 KB documents, 128 permutations: sluice-bench"
"$bin" dedupe minhash "$data"
echo "== the same with datasketch $(bench/.venv/bin/python -c 'import datasketch; print(datasketch.__version__)')"
bench/.venv/bin/python bench/dedupe/peer.py bench "$data"
for kind in cjk accented; do
    [ -f "bench/data/dedupe/$kind.jsonl" ] || bench/.venv/bin/python bench/dedupe/peer.py gen "bench/data/dedupe/$kind.jsonl" 3000 "$kind"
    echo "== MinHash signatures, non-ASCII text ($kind): sluice-bench (datasketch's whitespace shingles are not comparable here)"
    "$bin" dedupe minhash "bench/data/dedupe/$kind.jsonl" | tail -1
done
echo "== accuracy (labelled corpus)"
"$bin" dedupe accuracy 4000
echo "== dedupe stage, $docs documents, SQLite index"
/usr/bin/time -v "$bin" dedupe stage "$docs" 2>&1 | grep -E "^(stage_|  )|Maximum resident"
