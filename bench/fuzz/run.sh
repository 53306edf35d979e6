#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for SECONDS (default 120), one job, on its committed
# seed corpus (bench/fuzz/corpus/TARGET) plus what it finds (bench/fuzz/.out/TARGET/corpus,
# not committed). Crashes are written to bench/fuzz/.out/TARGET/ (crash-*, oom-*, timeout-*).
#
#   bench/fuzz/run.sh json 300
#   bench/fuzz/run.sh list            # the targets
#
# The module under test is compiled from Sources/ with -sanitize=fuzzer,address (so libFuzzer
# sees its coverage), together with the target's harness (bench/fuzz/targets/TARGET.swift),
# into bench/fuzz/.out/. Its dependencies are linked from the objects of a normal debug build
# (`swift build` first; they are not instrumented). Nothing here is part of `swift build`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${1:-list}"
seconds="${2:-120}"
debug="$root/.build/debug"

# target -> "module-under-test|swift-module-deps|c-object-dirs|libs"
declare -A spec=(
  [json]="SluiceJSON|||"
  [yaml]="SluiceYAML|Yams|CYaml|"
  [pipeline]="SluiceConfig|SluiceCore SluiceJSON SluiceYAML SluiceMap SluiceRegex Yams Logging Crypto CryptoBoringWrapper|CYaml CCryptoBoringSSL CCryptoBoringSSLShims|"
  [schema]="SluiceSchema|SluiceCore SluiceJSON SluiceRegex Logging Crypto CryptoBoringWrapper|CCryptoBoringSSL CCryptoBoringSSLShims|-lxml2"
  [map]="SluiceMap|SluiceCore SluiceJSON SluiceRegex Logging Crypto CryptoBoringWrapper|CCryptoBoringSSL CCryptoBoringSSLShims|"
)
# The readers share one build of SluiceFormats; the harness picks the format from its name.
for r in jsonl jsondoc csv xml html text-headers front-matter gzip; do
  spec[$r]="SluiceFormats|SluiceCore SluiceJSON SluiceCharset SluiceYAML Yams Logging Crypto CryptoBoringWrapper|CYaml CCryptoBoringSSL CCryptoBoringSSLShims|-lz -lxml2"
done

if [[ "$target" == list || -z "${spec[$target]:-}" ]]; then
  echo "targets: ${!spec[*]}" | tr ' ' '\n' | sort | tr '\n' ' '; echo
  [[ "$target" == list ]] && exit 0 || exit 64
fi

IFS='|' read -r module deps cdirs libs <<<"${spec[$target]}"
out="$here/.out/$target"
mkdir -p "$out/corpus"
harness="$here/targets/$target.swift"
[[ -f "$harness" ]] || harness="$here/targets/readers.swift"

objects=()
for c in $deps $cdirs; do
  [[ -d "$debug/$c.build" ]] || { echo "missing $debug/$c.build: run 'swift build' first" >&2; exit 66; }
  while IFS= read -r o; do objects+=("$o"); done < <(find "$debug/$c.build" -name '*.o')
done

binary="$out/fuzz-$target"
echo "building $binary ($module + $(basename "$harness"))" >&2
defines=()
[[ "$harness" == */readers.swift ]] && defines+=(-D "FUZZ_$(echo "$target" | tr 'a-z-' 'A-Z_')")
swiftc -parse-as-library -sanitize=fuzzer,address -O -g -module-name "$module" \
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
  -I "$debug/Modules" -I "$root/Sources/CZlib" -I "$root/Sources/CLibXML2" -I /usr/include/libxml2 \
  -Xcc -I"$root/.build/checkouts/Yams/Sources/CYaml/include" \
  "${defines[@]}" $(find "$root/Sources/$module" -name '*.swift' | sort) "$harness" \
  "${objects[@]}" $libs -lstdc++ -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)

seeds="$here/corpus/$target"
echo "fuzzing $target for $seconds s (seeds: $seeds)" >&2
cd "$out"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 "$out/corpus" "$seeds"
