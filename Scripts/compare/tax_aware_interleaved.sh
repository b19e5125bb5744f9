#!/bin/sh
# Folio's tax-aware optimizer against cvxpy + Clarabel on the same household (3 accounts x 50
# securities x 5 lots), interleaved: ROUNDS times (default 3) the Python peer (7 runs, median)
# then Folio's package-benchmark (7 iterations, p50), same shell and BLAS environment; prints
# each round's medians and the same-round ratios.
# Usage: Scripts/compare/tax_aware_interleaved.sh [ROUNDS]
set -eu
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset}"
i=1
while [ "$i" -le "$rounds" ]; do
    python3 Scripts/compare/tax_aware.py --runs 7 > "$tmp/py.txt"
    (cd Benchmarks && swift package --disable-sandbox benchmark --target TaxAwareBenchmarks \
        --filter "TaxAware.*" --no-progress --format markdown) > "$tmp/swift.txt" 2>&1
    python3 - "$tmp/py.txt" "$tmp/swift.txt" "$i" <<'PY'
import re, sys
py = open(sys.argv[1]).read()
sw = open(sys.argv[2]).read()
one_py = float(re.search(r"\| one household 3x50x5 \| ([0-9.]+) \|", py).group(1))
sweep_py = float(re.search(r"\| 20-point tax sweep \| ([0-9.]+) \|", py).group(1))
def p50(name):
    # package-benchmark's markdown table: the row after the benchmark's heading, p50 column.
    block = sw[sw.index(name):]
    row = [l for l in block.splitlines() if l.startswith("| Time (wall clock)")][0]
    cells = [c.strip() for c in row.strip("|").split("|")]
    unit = 1e-3 if "(us)" in cells[0] or "(μs)" in cells[0] else (1e-6 if "(ns)" in cells[0] else 1.0)
    return float(cells[3].replace(",", "")) * unit   # ms; columns: metric, p0, p25, p50, ...
one_sw, sweep_sw = p50("TaxAware one household 3x50x5"), p50("TaxAware 20-point tax sweep")
check = [l for l in sw.splitlines() if l.startswith("TaxAware 3x50x5: objective")]
print(f"round {sys.argv[3]}: {check[0] if check else ''}")
print(f"  one household: Folio {one_sw:.3f} ms, cvxpy+Clarabel {one_py:.1f} ms, ratio {one_py / one_sw:.0f}x")
print(f"  20-point sweep: Folio {sweep_sw:.3f} ms, cvxpy+Clarabel {sweep_py:.1f} ms, ratio {sweep_py / sweep_sw:.0f}x")
PY
    i=$((i + 1))
done
