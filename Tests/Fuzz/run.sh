#!/usr/bin/env bash
# libFuzzer runs of the parsers that read untrusted bytes (Docs/security.md, "Fuzzing").
#
#   Tests/Fuzz/run.sh [seconds] [harness ...]
#
# Harnesses: http-parser, overlay-decoder, query-parser, course-document (default: all).
# Each is built with `swiftc -sanitize=fuzzer,address` from the module sources it needs (no
# SwiftPM, no C shims), then run for `seconds` (default 60) on its kept corpus
# Tests/Fuzz/corpus/<harness>/ (read-only: new inputs go to a scratch folder). The script fails
# when any harness crashes, traps, leaks or times out on an input; the reproducer is left in
# .build/fuzz/<harness>/artifacts/. Extra libFuzzer flags: FUZZ_FLAGS="-runs=1000000".
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(http-parser overlay-decoder query-parser course-document)
out=.build/fuzz
mkdir -p "$out/lib"
swiftc_flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -enable-upcoming-feature ExistentialAny)

# A library module compiled with coverage instrumentation: name, then its sources.
module() {
  local name=$1; shift
  swiftc "${swiftc_flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/lib/$name.swiftmodule" \
    -emit-library -static -o "$out/lib/lib$name.a" -I "$out/lib" "$@"
}

# A harness executable: name, then its sources, then `--`, then the library modules it links.
harness() {
  local name=$1; shift
  local sources=() libs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do sources+=("$1"); shift; done
  shift || true
  for l in "$@"; do libs+=("$out/lib/lib$l.a"); done
  mkdir -p "$out/$name"
  swiftc "${swiftc_flags[@]}" -module-name "Fuzz_${name//-/_}" -I "$out/lib" "${sources[@]}" "${libs[@]}" \
    -o "$out/$name/fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)
}

build() {
  case $1 in
    http-parser) harness http-parser Tests/Fuzz/harnesses/HTTPParserFuzz.swift Sources/MeshHTTP/HTTPParser.swift \
        Sources/MeshHTTP/HTTPHeadParser.swift Sources/MeshHTTP/HTTPErrors.swift Sources/MeshHTTP/HTTPTypes.swift \
        Sources/MeshHTTP/RouterQuery.swift -- MeshCore ;;
    overlay-decoder) harness overlay-decoder Tests/Fuzz/harnesses/OverlayDecoderFuzz.swift -- Overlay MeshCore ;;
    query-parser) harness query-parser Tests/Fuzz/harnesses/QueryParserFuzz.swift -- Search MeshCore ;;
    course-document) harness course-document Tests/Fuzz/harnesses/CourseDocumentFuzz.swift -- MeshCore ;;
    *) echo "unknown harness $1 (http-parser, overlay-decoder, query-parser, course-document)" >&2; return 2 ;;
  esac
}

echo "building fuzz modules (swiftc -sanitize=fuzzer,address -O) ..."
module MeshCore Sources/MeshCore/*.swift || exit 1
for h in "${harnesses[@]}"; do
  case $h in
    overlay-decoder) [ -f "$out/lib/libOverlay.a" ] && [ "$out/lib/libOverlay.a" -nt "$out/lib/libMeshCore.a" ] \
        || module Overlay $(find Sources/Overlay -name '*.swift') || exit 1 ;;
    query-parser) [ -f "$out/lib/libSearch.a" ] && [ "$out/lib/libSearch.a" -nt "$out/lib/libMeshCore.a" ] \
        || module Search Sources/Search/*.swift || exit 1 ;;
  esac
done

failed=()
for h in "${harnesses[@]}"; do
  build "$h" || { failed+=("$h (build)"); continue; }
  scratch=$(mktemp -d "/tmp/coursemesh-fuzz-$h.XXXXXX")
  mkdir -p "$out/$h/artifacts"
  echo "=== fuzz $h for ${seconds}s"
  # Queries longer than the query limit (256 characters) all take the same early exit.
  max_len=4096; [ "$h" = query-parser ] && max_len=1024
  # -rss_limit_mb bounds memory; -timeout flags any input that takes over 10 s; -max_len keeps
  # inputs near the sizes real limits allow while staying fast.
  # Swift's own crash handler would run inside ASan's report and garble it.
  if SWIFT_BACKTRACE=enable=no "$out/$h/fuzzer" "$scratch" "Tests/Fuzz/corpus/$h" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
      -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$out/$h/artifacts/" \
      ${FUZZ_FLAGS:-} > "$out/$h/log" 2>&1; then
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$out/$h/log"
  else
    failed+=("$h")
    grep -B5 -A40 -E "ERROR: |==ERROR|deadly signal|Fatal error|Precondition failed" "$out/$h/log" | head -80
  fi
  rm -rf "$scratch"
done
if [ ${#failed[@]} -gt 0 ]; then echo "fuzz failures: ${failed[*]} (reproducers in $out/<harness>/artifacts/)"; exit 1; fi
echo "fuzz: ${#harnesses[@]} harnesses, no crash, no leak"
