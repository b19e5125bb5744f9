#!/usr/bin/env bash
# Builds and runs one libFuzzer target of the nested Fuzz/ package.
#
#   Scripts/fuzz.sh NAME SECONDS [extra libFuzzer flags...]
#   Scripts/fuzz.sh list
#   Scripts/fuzz.sh all SECONDS      (every target in turn: the CI smoke)
#
# NAME is one of: HoldingsCSVFuzz HoldingsJSONFuzz PricesFuzz TargetsFuzz PolicyFuzz
# SecuritiesFuzz RebalanceFuzz BatchFolderFuzz. The build is release, with libFuzzer and AddressSanitizer
# (see Documentation/Reliability.md for why these exact flags), in Fuzz/.build-fuzz.
# The committed seeds in Fuzz/Corpus/NAME are read but never written: new inputs go to
# Fuzz/.build-fuzz/corpus/NAME (git-ignored), crashes to fuzz-artifacts/NAME/ at the root.
# Exit status: 0 when no crash was found, libFuzzer's status otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
targets="HoldingsCSVFuzz HoldingsJSONFuzz PricesFuzz TargetsFuzz PolicyFuzz SecuritiesFuzz RebalanceFuzz BatchFolderFuzz"
if [[ "${1:-}" == "list" ]]; then echo "$targets"; exit 0; fi
if [[ "${1:-}" == "all" ]]; then
  # The smoke CI runs: every target in turn for SECONDS each; stops at the first crash.
  seconds=${2:?usage: Scripts/fuzz.sh all SECONDS}
  for t in $targets; do "$0" "$t" "$seconds" || exit $?; done
  exit 0
fi
if [[ $# -lt 2 ]]; then echo "usage: Scripts/fuzz.sh NAME SECONDS [libFuzzer flags...]  (NAME: $targets)" >&2; exit 2; fi
name=$1; seconds=$2; shift 2
case " $targets " in *" $name "*) ;; *) echo "unknown fuzz target $name (one of: $targets)" >&2; exit 2 ;; esac

cd Fuzz
# --sanitize=fuzzer makes SwiftPM leave libFuzzer's main alone; the combined -sanitize=fuzzer,address
# (not two --sanitize flags, of which only one is passed) instruments for both.
swift build -c release --product "$name" --scratch-path .build-fuzz \
  --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2
work=".build-fuzz/corpus/$name"
artifacts="$root/fuzz-artifacts/$name/"
mkdir -p "$work" "$artifacts"
# Leaks are reported by LeakSanitizer at exit, not per input; the readers keep no state. The Swift
# runtime's own crash backtracer is off: under ASan it faults while reading memory and hides the report.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
  ".build-fuzz/release/$name" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$artifacts" "$@" "$work" "Corpus/$name"
