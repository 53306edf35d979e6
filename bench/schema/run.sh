#!/usr/bin/env bash
# JSON Schema validation throughput, side by side on the same generated documents:
# `sluice-bench schema` (release build) against Python's jsonschema and jsonschema-rs.
#
# usage: bench/schema/run.sh [DOCS]
#   SLUICE_BENCH_CMD  command that runs the Swift benchmark (default: build sluice-bench in
#                     .build-release and run `sluice-bench schema`)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
docs="${1:-5000}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

cmd="${SLUICE_BENCH_CMD:-}"
if [ -z "$cmd" ]; then
  swift build -c release --product sluice-bench --scratch-path .build-release >&2
  cmd=".build-release/release/sluice-bench schema"
fi
if [ ! -x bench/.venv/bin/python ]; then python3 -m venv bench/.venv; fi
bench/.venv/bin/pip install -q "jsonschema[format-nongpl]" jsonschema-rs >&2

echo "== sluice (Swift, release)"
$cmd --docs "$docs" --write-data "$data" | tee "$data/swift.txt"
echo "== Python: jsonschema $(bench/.venv/bin/pip show jsonschema | awk '/^Version/{print $2}'), jsonschema-rs $(bench/.venv/bin/pip show jsonschema-rs | awk '/^Version/{print $2}')"
bench/.venv/bin/python bench/schema/python_peers.py "$data" | tee "$data/python.txt"

value() { awk -F': ' -v k="$1" '$1 == k { split($2, a, " "); print a[1] }' "$data"/swift.txt "$data"/python.txt; }
swift=$(value schema_is_valid_docs_per_sec)
py=$(value python_jsonschema_is_valid_docs_per_sec)
rs=$(value jsonschema_rs_is_valid_docs_per_sec)
swift_err=$(value schema_invalid_with_errors_docs_per_sec)
py_err=$(value python_jsonschema_invalid_with_errors_docs_per_sec)
rs_err=$(value jsonschema_rs_invalid_with_errors_docs_per_sec)
echo "== ratios"
awk -v s="$swift" -v p="$py" -v r="$rs" 'BEGIN { printf "valid docs: sluice/jsonschema: %.1fx, sluice/jsonschema-rs: %.2fx\n", s / p, s / r }'
awk -v s="$swift_err" -v p="$py_err" -v r="$rs_err" 'BEGIN { printf "invalid docs with errors: sluice/jsonschema: %.1fx, sluice/jsonschema-rs: %.2fx\n", s / p, s / r }'
