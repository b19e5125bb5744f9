#!/usr/bin/env bash
# Shows that an interrupted `folio batch` loses nothing: generates a book, starts the batch,
# sends SIGINT (or the signal given) once some plans exist, audits the output folder (every
# plan complete JSON, no temporary file), re-runs, and checks that the summary lists every unit.
#
#   Scripts/interrupt_batch.sh [ACCOUNTS=3000] [SIGNAL=INT] [JOBS=2]
#
# Uses the debug build of `folio` (built if needed; FOLIO=path picks another binary, e.g. a
# release build) and python3 for the book and the audit.
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${1:-3000}; sig=${2:-INT}; jobs=${3:-2}
work=$(mktemp -d /tmp/folio-interrupt.XXXXXX)
trap 'if [[ -n "${pid:-}" ]]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
if [[ -z "${FOLIO:-}" ]]; then swift build --product folio >&2; fi
folio=${FOLIO:-$(swift build --show-bin-path)/folio}
python3 Scripts/batch/generate_book.py --accounts "$accounts" --positions 20 --lots 3 --out "$work/book" >/dev/null
args=(batch --holdings "$work/book/holdings.csv" --targets "$work/book/targets.yaml" --policy "$work/book/policy.yaml"
      --as-of 2025-12-31 --output "$work/out" --jobs "$jobs")
echo "\$ folio ${args[*]//$work/\$WORK}   # $accounts accounts, SIG$sig once 50 plans exist"
"$folio" "${args[@]}" >"$work/run1.out" 2>"$work/run1.err" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  n=$( (find "$work/out/plans" -name '*.json' 2>/dev/null || true) | wc -l)
  if (( n >= 50 )); then kill -s "$sig" "$pid"; echo "sent SIG$sig with $n plans written"; break; fi
  sleep 0.05
done
set +e; wait "$pid"; status=$?; set -e
echo "exit status: $status"
sed "s|$work|\$WORK|g; s/^/  stdout: /" "$work/run1.out"; sed "s|$work|\$WORK|g; s/^/  stderr: /" "$work/run1.err"
audit() {
  python3 - "$work/out/plans" <<'PY'
import json, os, sys
d = sys.argv[1]; names = os.listdir(d) if os.path.isdir(d) else []
tmp = [n for n in names if n.endswith(".tmp")]; bad = []
for n in names:
    if n.endswith(".json"):
        try:
            p = json.load(open(os.path.join(d, n)))
            assert isinstance(p["trades"], list) and "cashAfter" in p
        except Exception as e:
            bad.append(n)
print(f"plans present: {sum(n.endswith('.json') for n in names)}, incomplete: {len(bad)}, temporary files: {len(tmp)}")
sys.exit(1 if bad or tmp else 0)
PY
}
audit
echo "\$ folio ${args[*]//$work/\$WORK}   # again"
set +e; "$folio" "${args[@]}" >"$work/run2.out" 2>"$work/run2.err"; status2=$?; set -e
echo "exit status: $status2"
sed "s|$work|\$WORK|g; s/^/  stdout: /" "$work/run2.out"; sed "s|$work|\$WORK|g; s/^/  stderr: /" "$work/run2.err" | head -20
audit
units=$(tail -n +2 "$work/out/summary.csv" | wc -l)
echo "summary.csv lists $units units of $accounts"
[[ $status -eq 130 && $units -eq $accounts ]]
