#!/usr/bin/env bash
# Audit trail costs, release build:
#  1. the quickstart-like pipeline (bench/audit/pipeline.yaml) on DOCUMENTS generated documents,
#     with the audit log and without it (SLUICE_AUDIT=off), REPEAT runs each, alternating;
#  2. `sluice audit query --record` and `sluice audit trace` on a log of ROWS rows (appended with
#     direct SQL by gen_log.py, chained), wall time of the whole command, median of 15;
#  3. `sluice audit verify` speed on that log (rows/s).
#   bench/audit/run.sh [DOCUMENTS] [ROWS] [REPEAT]     (defaults 100000, 10000000, 3)
# Builds the release product in the shared .build; set SLUICE_BIN to use an already built sluice.
# The generated log is sealed (Ed25519, every 1000 rows) by gen_log.py, so verify checks seals too.
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-100000}"; rows="${2:-10000000}"; repeat="${3:-3}"
bin="${SLUICE_BIN:-}"
if [ -z "$bin" ]; then
  swift build -c release --product sluice >&2
  bin=.build/release/sluice
fi
data="bench/data/audit/docs-$n"
[ -d "$data" ] || python3 bench/passthrough/generate.py "$data" "$n"
echo "== pipeline on $n documents ($(du -sm "$data" | cut -f1) MB), $repeat runs each"
on=(); off=(); cpu_on=(); cpu_off=()
for i in $(seq "$repeat"); do
  for mode in on off; do
    out="bench/data/audit/out-$mode"; rm -rf "$out"; mkdir -p "$out"
    env=(); [ "$mode" = off ] && env=(SLUICE_AUDIT=off)
    env "${env[@]}" BENCH_DATA="$PWD/$data" BENCH_OUT="$PWD/$out" /usr/bin/time -f "%e %U %S" -o "$out/time.txt" \
      "$bin" run bench/audit/pipeline.yaml --quiet 2>/dev/null
    read -r t u s < "$out/time.txt"
    c=$(python3 -c "print(f'{$u+$s:.2f}')")
    if [ "$mode" = on ]; then on+=("$t"); cpu_on+=("$c"); else off+=("$t"); cpu_off+=("$c"); fi
  done
done
audit_rows=$(python3 -c "import sqlite3;print(sqlite3.connect('bench/data/audit/out-on/state/state.db').execute('select count(*) from audit_events').fetchone()[0])")
python3 - "${on[*]}" "${off[*]}" "$n" "$audit_rows" "${cpu_on[*]}" "${cpu_off[*]}" <<'PY'
import statistics, sys
on = [float(x) for x in sys.argv[1].split()]; off = [float(x) for x in sys.argv[2].split()]
n = int(sys.argv[3]); m_on, m_off = statistics.median(on), statistics.median(off)
c_on = statistics.median(float(x) for x in sys.argv[5].split()); c_off = statistics.median(float(x) for x in sys.argv[6].split())
print(f"CPU (user+sys) with audit: {c_on:.2f} s, without: {c_off:.2f} s, audit CPU overhead: {100 * (c_on - c_off) / c_off:.1f} %, {1e6 * (c_on - c_off) / int(sys.argv[4]):.1f} us per audit row")
print(f"run with audit: {m_on:.2f} s median (runs {', '.join(f'{x:.2f}' for x in on)}), {n / m_on:.0f} docs/s, {sys.argv[4]} audit rows")
print(f"run without audit (SLUICE_AUDIT=off): {m_off:.2f} s median (runs {', '.join(f'{x:.2f}' for x in off)}), {n / m_off:.0f} docs/s")
print(f"audit overhead: {100 * (m_on - m_off) / m_off:.1f} %")
PY

state="bench/data/audit/log-$rows"
if [ ! -f "$state/state.db" ]; then
  rm -rf "$state"; mkdir -p "$state/one"
  echo '{"id": "seed", "title": "t"}' > "$state/one/seed.jsonl"
  BENCH_DATA="$PWD/$state/one" BENCH_OUT="$PWD/$state/out" "$bin" run bench/audit/pipeline.yaml --quiet >/dev/null 2>&1
  mv "$state/out/state/"* "$state/"
  python3 bench/audit/gen_log.py "$state/state.db" "$rows"
fi
echo "== audit log of $(du -sm "$state/state.db" | cut -f1) MB"
python3 - "$bin" "$state" <<'PY'
import statistics, subprocess, sys, time
bin, state = sys.argv[1], sys.argv[2]
def median_ms(args, n=15):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); r = subprocess.run(args, capture_output=True); ts.append((time.perf_counter() - t) * 1000)
        assert r.returncode == 0, r.stderr
    return statistics.median(ts), r.stdout
base, _ = median_ms([bin, "--version"])
q, out = median_ms([bin, "audit", "query", "--state", state, "--record", "doc-00400000", "--format", "jsonl"])
assert out.count(b"\n") >= 2, out
t, out = median_ms([bin, "audit", "trace", "--state", state, "doc-00400005#2"])
assert b"derived record doc-00400005#2" in out, out
tc, _ = median_ms([bin, "audit", "trace", "--state", state, "doc-00400005"])
print(f"process start (sluice --version): {base:.1f} ms")
print(f"audit query --record: {q:.1f} ms wall (median of 15)")
print(f"audit trace chunk: {t:.1f} ms wall (median of 15)")
print(f"audit trace document: {tc:.1f} ms wall (median of 15)")
PY
"$bin" audit verify --state "$state" | head -3
