#!/usr/bin/env python3
"""Tax-aware household optimization: cvxpy + Clarabel on the benchmark household.

Writes Benchmarks/TaxAwareBenchmarks/household_3x50x5.json (3 accounts x 50 securities x 5
lots, seeded, the JSON form of Swift's TaxAwareProblem) that `TaxAwareBenchmarks` reads, then
times cvxpy + Clarabel on the same problem (one solve, and a 20-point tax-weight sweep) and
prints one table with the median milliseconds. Run the Swift side in the same session:
    cd Benchmarks && swift package --disable-sandbox benchmark --target TaxAwareBenchmarks --no-progress
Usage: python3 Scripts/compare/tax_aware.py [--runs 7]
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
from tax_aware import generate, solve  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Benchmarks", "TaxAwareBenchmarks", "household_3x50x5.json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    p = generate(515, max_accounts=3, max_securities=50, max_lots=5, exact=True)
    p.pop("netGainBudget", None)
    p.pop("classBands", None)
    p.pop("turnoverLimit", None)
    p["taxWeight"] = 1.0
    p["trackingWeight"] = 100.0
    obj, status = solve(p)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"problem": p, "optimalObjective": obj}, f)
    os.replace(tmp, OUT)
    one, sweep = [], []
    weights = np.logspace(-2, 2, 20)
    for _ in range(args.runs):
        t0 = time.perf_counter()
        solve(p)
        one.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        for w in weights:
            q = dict(p)
            q["taxWeight"] = float(w)
            solve(q)
        sweep.append((time.perf_counter() - t0) * 1e3)
    print(f"household 3x50x5: {len(p['lots'])} lots, objective {obj:.12g} ({status})")
    print("| workload | cvxpy+Clarabel median ms |")
    print("|---|---|")
    print(f"| one household 3x50x5 | {np.median(one):.1f} |")
    print(f"| 20-point tax sweep | {np.median(sweep):.1f} |")


if __name__ == "__main__":
    main()
