#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for SECONDS (default 120), one job, on its committed
# seed corpus (bench/fuzz/corpus/TARGET) plus what it finds (bench/fuzz/.out/TARGET/corpus,
# not committed). Crashes are written to bench/fuzz/.out/TARGET/ (crash-*, oom-*, timeout-*).
#
#   bench/fuzz/run.sh json 300
#   bench/fuzz/run.sh all 10          # every target in turn, SECONDS each (what CI runs)
#   bench/fuzz/run.sh list            # the targets
#
# The module under test is compiled from Sources/ with -sanitize=fuzzer,address (so libFuzzer
# sees its coverage), together with the target's harness (bench/fuzz/targets/TARGET.swift),
# into bench/fuzz/.out/. Its dependencies are linked from the objects of a normal debug build
# (`swift build` first; they are not instrumented). Nothing here is part of `swift build`.
# The reader targets share one binary (.out/readers/fuzz-readers, built once per call; each
# target's binary is a link to it, and SLUICE_FUZZ_FORMAT tells the harness the format).
# Exit status: 0, 1 when a target found a crash (or failed to build), 64 usage, 66 no debug build.
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

targets="$(echo "${!spec[*]}" | tr ' ' '\n' | sort | tr '\n' ' ')"
if [[ "$target" == list || ( "$target" != all && -z "${spec[$target]:-}" ) ]]; then
  echo "targets: $targets"
  [[ "$target" == list ]] && exit 0 || exit 64
fi

# build TARGET: compiles the target's binary (for a reader, the shared one, once per call).
readers_built=""
build() {
  local t="$1" module deps cdirs libs
  IFS='|' read -r module deps cdirs libs <<<"${spec[$t]}"
  local harness="$here/targets/$t.swift" binary="$here/.out/$t/fuzz-$t"
  mkdir -p "$here/.out/$t/corpus"
  if [[ ! -f "$harness" ]]; then
    harness="$here/targets/readers.swift"
    mkdir -p "$here/.out/readers"
    ln -sf "$here/.out/readers/fuzz-readers" "$binary"
    binary="$here/.out/readers/fuzz-readers"
    [[ -n "$readers_built" ]] && return 0
  fi
  local objects=() c o f
  for c in $deps $cdirs; do
    [[ -d "$debug/$c.build" ]] || { echo "missing $debug/$c.build: run 'swift build' first" >&2; exit 66; }
    if [[ -d "$root/Sources/$c" ]]; then
      # Our own modules: the objects of the sources that exist now (a file removed since the last
      # build leaves its object behind, which must not be linked).
      while IFS= read -r f; do
        o="$debug/$c.build/$(basename "$f").o"
        [[ -f "$o" ]] || { echo "missing $o: run 'swift build' first" >&2; exit 66; }
        objects+=("$o")
      done < <(find "$root/Sources/$c" -name '*.swift')
    else
      while IFS= read -r o; do objects+=("$o"); done < <(find "$debug/$c.build" -name '*.o')
    fi
  done
  echo "building $binary ($module + $(basename "$harness"))" >&2
  swiftc -parse-as-library -sanitize=fuzzer,address -O -g -module-name "$module" \
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
    -I "$debug/Modules" -I "$root/Sources/CZlib" -I "$root/Sources/CLibXML2" -I /usr/include/libxml2 \
    -Xcc -I"$root/.build/checkouts/Yams/Sources/CYaml/include" \
    $(find "$root/Sources/$module" -name '*.swift' | sort) "$harness" \
    "${objects[@]}" $libs -lstdc++ -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2) || return
  [[ "$harness" == */readers.swift ]] && readers_built=1
  return 0
}

# fuzz TARGET: runs its binary for $seconds on its seeds and what earlier runs found.
fuzz() {
  local t="$1" out="$here/.out/$1"
  echo "fuzzing $t for $seconds s (seeds: $here/corpus/$t)" >&2
  (cd "$out" && SLUICE_FUZZ_FORMAT="$t" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$out/fuzz-$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$out/corpus" "$here/corpus/$t")
}

if [[ "$target" != all ]]; then
  build "$target"
  fuzz "$target"
  exit
fi
failed=()
for t in $targets; do
  start=$SECONDS
  if build "$t" && fuzz "$t"; then status=ok; else status=FAILED; failed+=("$t"); fi
  echo "fuzz $t: $status ($((SECONDS - start)) s)" >&2
done
if (( ${#failed[@]} )); then
  echo "fuzz: ${failed[*]} failed (inputs in bench/fuzz/.out/TARGET/)" >&2
  exit 1
fi
