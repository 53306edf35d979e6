#!/usr/bin/env bash
# The whole job, side by side in one invocation (issue 16 item 5): the messy corpus generated
# (bench/corpus/README.md), pipelines/messy-reference.yaml run by a release build with audit on
# (peak RSS from /usr/bin/time -v, per-stage CPU from the run summary), the same job as a plain
# Python script (bench/pipeline/baseline.py: ftfy, jsonschema, datasketch, langchain splitter),
# and `cat | sha256sum` over the same files; then the ratios and the corpus score.
#   bench/pipeline/run.sh [DOCUMENTS] [SEED]     (default 20000 base documents, seed 1)
# SLUICE_BENCH_CONFIG=debug uses the debug build (for trying the script, never for figures);
# SLUICE_BENCH_SKIP_BUILD=1 uses the binaries already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs="${1:-20000}"; seed="${2:-1}"
corpus="$PWD/bench/data/messy-$docs-$seed"
echo "machine: $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"

config="${SLUICE_BENCH_CONFIG:-release}"
if [ -z "${SLUICE_BENCH_SKIP_BUILD:-}" ]; then      # set it to use the binaries already built
  swift build -c "$config" --product sluice >/dev/null
  swift build -c "$config" --product sluice-bench >/dev/null
fi
bin="$(swift build -c "$config" --show-bin-path)"
echo "build: $config"

[ -f "$corpus/truth.jsonl" ] || "$bin/sluice-bench" corpus generate --seed "$seed" --docs "$docs" --out "$corpus"
rm -rf "$corpus/out" "$corpus/state" "$corpus/python"
files=$(find "$corpus/files" -type f | wc -l); bytes=$(du -sb "$corpus/files" | cut -f1)
echo "corpus: $docs base documents, $(wc -l < "$corpus/truth.jsonl") records, $files files, $((bytes / 1000000)) MB"

bench/.venv/bin/pip install --quiet ftfy jsonschema datasketch langchain-text-splitters pyyaml >/dev/null 2>&1 \
  || { echo "could not install the Python peers into bench/.venv"; exit 1; }

# 1. cat | sha256sum over the same files (warm cache: run twice, time the second).
find "$corpus/files" -type f -print0 | sort -z | xargs -0 cat | sha256sum >/dev/null
t0=$(date +%s.%N); find "$corpus/files" -type f -print0 | sort -z | xargs -0 cat | sha256sum >/dev/null; t1=$(date +%s.%N)
cat_secs=$(python3 -c "print($t1 - $t0)")

# 2. Sluice, release, audit on.
MESSY_CORPUS="$corpus" SLUICE_AUDIT=on /usr/bin/time -v -o "$corpus/sluice.time" \
  "$bin/sluice" run pipelines/messy-reference.yaml --quiet --summary "$corpus/summary.json" 2>"$corpus/sluice.log" \
  || echo "sluice exited $? (log: $corpus/sluice.log)"
sluice_rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$corpus/sluice.time")
sluice_wall=$(python3 -c "import json; print(json.load(open('$corpus/summary.json'))['duration_secs'])")

# 3. The Python script of the same job.
/usr/bin/time -v -o "$corpus/python.time" bench/.venv/bin/python bench/pipeline/baseline.py \
  "$corpus" "$corpus/python" schemas/messy-record.schema.json | tee "$corpus/python.txt"
py_rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$corpus/python.time")
py_wall=$(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' "$corpus/python.txt")

python3 - "$corpus/summary.json" "$sluice_wall" "$py_wall" "$cat_secs" "$sluice_rss" "$py_rss" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); sw, pw, cw = map(float, sys.argv[2:5]); srss, prss = int(sys.argv[5]), int(sys.argv[6])
n = s["ledger"]["received"]
print(f"sluice: {n} records in {sw:.2f} s ({n / sw:.0f} records/s), peak RSS {srss / 1024:.0f} MB")
print(f"python: {pw:.2f} s ({n / pw:.0f} records/s), peak RSS {prss / 1024:.0f} MB")
print(f"cat | sha256sum: {cw:.2f} s")
print(f"ratio python/sluice: {pw / sw:.2f}x (target >= 20x)")
print(f"ratio sluice/cat: {sw / cw:.1f}x (target <= 3x)")
for name in s.get("stage_order", []):
    st = s["stages"][name]
    cpu = st.get("cpu_secs", st.get("seconds", st.get("duration_secs")))
    print(f"stage {name}: {cpu} s" if cpu is not None else f"stage {name}: {json.dumps(st)}")
PY

# 4. The score of the Sluice run against the truth.
MESSY_CORPUS="$corpus" "$bin/sluice" audit export pipelines/messy-reference.yaml --event dropped --format jsonl > "$corpus/out/audit.jsonl"
"$bin/sluice-bench" corpus score --truth "$corpus/truth.jsonl" --out-dir "$corpus/out" --json "$corpus/score.json" | grep -v "^mistake\|^text_mistake"
