#!/usr/bin/env python3
"""Walk-forward speed comparison: Folio's OutOfSampleBacktest against skfolio's cross_val_predict.

Workload: minimum variance (long-only, fully invested, sample covariance) walked forward over
T = 2520 daily returns (ten years, Scripts/compare/inputs.py, the file Folio's benchmark reads),
train 504 and test 63 observations: 32 windows, each one covariance estimate and one solve,
then the out-of-sample returns of the held weights.

skfolio: `cross_val_predict(MeanRisk(), X, cv=WalkForward(train_size=504, test_size=63))`, its
defaults (EmpiricalPrior, Clarabel), as a user runs it. Folio: the benchmark
"walk-forward min variance N={n} T=2520 train 504 test 63" (Benchmarks/, target
OptimizationBenchmarks), its p50.

Runs interleave: each round times one skfolio run and one Folio benchmark invocation, after a
warm-up of each; the table reports the medians over the rounds (skfolio) and the median of
the per-round p50s (Folio), and the ratio skfolio / Folio. Both sides run in this process's
environment (OPENBLAS_CORETYPE and the thread count untouched); the BLAS core and threads of
each side are printed.

Run: python3 Scripts/compare/walk_forward.py [--sizes 20,100,500] [--rounds 5]
Packages: numpy 2.4.6, pandas, skfolio 1.12.2 (cvxpy with Clarabel).
"""
import argparse
import os
import re
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import inputs  # noqa: E402

NAME = "walk-forward min variance N={n} T=2520 train 504 test 63"


def skfolio_walk_forward(x):
    from skfolio.model_selection import WalkForward, cross_val_predict
    from skfolio.optimization import MeanRisk
    return cross_val_predict(MeanRisk(), x, cv=WalkForward(train_size=504, test_size=63))


def folio_pass(sizes):
    """One invocation of Folio's walk-forward benchmarks: {N: p50 ms}, the OpenBLAS line."""
    pattern = "|".join(re.escape(NAME.format(n=n)) for n in sizes)
    result, core, out = inputs.folio_benchmark("OptimizationBenchmarks", pattern)
    by_size = {n: result[NAME.format(n=n)] for n in sizes if NAME.format(n=n) in result}
    if not by_size:
        print(out[-3000:])
    return by_size, core


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,500")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    warnings.simplefilter("ignore")
    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i.get('internal_api')} {i.get('version')} core {i.get('architecture')} threads {i.get('num_threads')}"
                for i in threadpool_info() if i.get("user_api") == "blas"]
        peer_blas = "; ".join(blas)
    except Exception as e:  # noqa: BLE001
        peer_blas = f"unknown ({e})"
    print("skfolio's BLAS:", peer_blas, "| OPENBLAS_CORETYPE =", os.environ.get("OPENBLAS_CORETYPE", "(unset)"), flush=True)
    frames = {n: pd.DataFrame(inputs.load(inputs.DEFAULT_DIR, n, 2520)) for n in sizes}
    print("warm-up ...", flush=True)
    for n in sizes:
        mpp = skfolio_walk_forward(frames[n])
        assert len(mpp.portfolios) == 32 and len(mpp.returns) == 32 * 63
    _, core = folio_pass(sizes)
    print("Folio's BLAS:", core, flush=True)
    peer, folio = {n: [] for n in sizes}, {n: [] for n in sizes}
    for r in range(args.rounds):
        for n in sizes:
            t = time.perf_counter()
            skfolio_walk_forward(frames[n])
            peer[n].append((time.perf_counter() - t) * 1e3)
        result, _ = folio_pass(sizes)
        for n in sizes:
            if n in result:
                folio[n].append(result[n])
        print(f"round {r + 1}: " + ", ".join(f"N={n} skfolio {peer[n][-1]:,.0f} ms Folio {folio[n][-1] if folio[n] else float('nan'):,.1f} ms"
                                            for n in sizes), flush=True)
    print(f"\nWalk-forward minimum variance, T = 2520, train 504, test 63 (32 windows). {args.rounds} interleaved rounds.")
    print(f"Folio: {core}. skfolio: {peer_blas}.\n")
    print("| N | Folio ms (median of p50s) | skfolio cross_val_predict ms (median) | skfolio / Folio |")
    print("|---|---|---|---|")
    for n in sizes:
        f, p = statistics.median(folio[n]), statistics.median(peer[n])
        print(f"| {n} | {f:,.1f} | {p:,.0f} | {p / f:,.0f}x |")


if __name__ == "__main__":
    main()
