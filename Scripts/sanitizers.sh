#!/usr/bin/env bash
# Runs the root package's test suite under a sanitizer, each in its own scratch path.
#
#   Scripts/sanitizers.sh address   # AddressSanitizer, .build-asan
#   Scripts/sanitizers.sh thread    # ThreadSanitizer, .build-tsan
#   Scripts/sanitizers.sh           # both, address first
#   extra arguments after the first go to `swift test` (e.g. --filter FolioFilesTests)
#
# All tests are Swift Testing, so --disable-xctest keeps LeakSanitizer from reporting the
# XCTest runner's own allocations (which would fail a passing suite). A first build takes
# several minutes per sanitizer on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("${1:-address}")
if [[ $# -eq 0 ]]; then kinds=(address thread); else shift; fi
for kind in "${kinds[@]}"; do
  case "$kind" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "usage: Scripts/sanitizers.sh [address|thread] [swift test arguments...]" >&2; exit 2 ;;
  esac
  echo "== swift test --sanitize=$kind ($scratch)" >&2
  # LeakSanitizer: Foundation's Process.run leaks a 32-byte weak-reference side table per
  # process started (seen in the CLI tests), and FoundationEssentials' readBytesFromFile leaks
  # its 4 KiB buffer when `try? String(contentsOf:)` fails (seen in OutputFailureTests.fullDisk,
  # which runs only where tmpfs can be mounted); neither is Folio's memory, so both are suppressed.
  supp=$(mktemp); printf 'leak:Foundation7ProcessC3run\nleak:readBytesFromFile\n' >"$supp"
  # halt_on_error makes a TSan report fail the run instead of only printing it (the CLI tests'
  # child `folio` processes inherit it, so a report there fails its test with exit status 66).
  # The Swift runtime's crash backtracer faults under the sanitizers and hides their report.
  # Under TSan the `ulimit -f` output tests disable themselves (TSan's runtime gets SIGBUS at
  # start-up under a small RLIMIT_FSIZE).
  SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}" \
  LSAN_OPTIONS="suppressions=$supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}" \
    swift test --sanitize="$kind" --disable-xctest --scratch-path "$scratch" "$@"
done
