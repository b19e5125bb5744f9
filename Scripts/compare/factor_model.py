#!/usr/bin/env python3
"""Factor-model minimum variance: Folio's FactorMinimumVariance against cvxpy + Clarabel.

Workload: the N = 2,000, T = 2,520 seeded daily returns of Scripts/compare/inputs.py; a
15-factor statistical model (principal components of the annualized sample covariance, each
asset's variance kept: D = diag(S − B F Bᵀ)); long-only, fully invested minimum variance,
with no cap and with every weight at most 1%. Both sides build the same model (up to
round-off) outside the timed region and time the optimization only.

Peers, each timed as the median of --runs solves after a warm-up, on the same 2 cores and
BLAS environment as Folio:
- cvxpy dense: `quad_form(w, Σ)` with Σ = B F Bᵀ + D formed (the dense path);
- cvxpy factor form: `sum_squares(F^½ Bᵀ w) + sum_squares(√D ∘ w)` (the peer's fastest
  correct setup for a factor model);
both with Clarabel. Folio's OptimizationBenchmarks ("factor.*") runs before and after the
peers; the table uses the slower of its two medians.

Run: python3 Scripts/compare/factor_model.py [--runs 3]
Packages: numpy 2.4.6, cvxpy 1.9.3, clarabel 0.11.1.
"""
import argparse
import os
import statistics
import sys
import time

ORIGINAL_ENV = dict(os.environ)

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import inputs  # noqa: E402
from mean_variance import timed  # noqa: E402  (median ms after a warm-up)


def statistical_model(returns, k):
    sample = np.cov(returns, rowvar=False) * 252
    values, vectors = np.linalg.eigh(sample)
    top = np.argsort(values)[::-1][:k]
    b, f = vectors[:, top], values[top]
    d = np.maximum(np.diag(sample) - (b * b) @ f, 0)
    return b, f, d


def main():
    import cvxpy as cp
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n, k = 2000, 15
    returns = inputs.returns(n, 2520)
    b, f, d = statistical_model(returns, k)
    sigma = b @ np.diag(f) @ b.T + np.diag(d)
    loadings_root = b * np.sqrt(f)

    def dense(cap):
        w = cp.Variable(n)
        constraints = [cp.sum(w) == 1, w >= 0] + ([w <= cap] if cap < 1 else [])
        cp.Problem(cp.Minimize(cp.quad_form(w, cp.psd_wrap(sigma))), constraints).solve(solver=cp.CLARABEL)
        return w.value

    def factor_form(cap):
        w = cp.Variable(n)
        constraints = [cp.sum(w) == 1, w >= 0] + ([w <= cap] if cap < 1 else [])
        objective = cp.sum_squares(loadings_root.T @ w) + cp.sum_squares(cp.multiply(np.sqrt(d), w))
        cp.Problem(cp.Minimize(objective), constraints).solve(solver=cp.CLARABEL)
        return w.value

    print("Folio benchmark, first pass ...", flush=True)
    before, core, _ = inputs.folio_benchmark("OptimizationBenchmarks", "factor.*|dense min variance.*", env=ORIGINAL_ENV)
    rows = []
    for cap, label in [(1.0, "long-only"), (0.01, "cap 1%")]:
        print(f"peers, {label} ...", flush=True)
        rows.append((label, timed(lambda: dense(cap), args.runs, 900), timed(lambda: factor_form(cap), args.runs, 900)))
    print("Folio benchmark, second pass ...", flush=True)
    after, _, _ = inputs.folio_benchmark("OptimizationBenchmarks", "factor.*|dense min variance.*", env=ORIGINAL_ENV)
    print(f"\n{core}; load average {os.getloadavg()[0]:.1f}. Peers: median of {args.runs} solves after a warm-up; "
          "Folio: the slower p50 of its two passes.\n")
    print("| N = 2,000, K = 15 | Folio factor | cvxpy dense (Clarabel) | cvxpy factor form (Clarabel) | vs dense | vs factor form |")
    print("|---|---|---|---|---|---|")
    for label, dense_ms, factor_ms in rows:
        name = f"factor min variance N={n} K={k} {label}"
        folio = max(before.get(name, float("nan")), after.get(name, float("nan")))
        print(f"| {label} | {folio:,.1f} ms | {dense_ms:,.0f} ms | {factor_ms:,.0f} ms | "
              f"{dense_ms / folio:,.0f}x | {factor_ms / folio:,.0f}x |")
    name = f"dense min variance on the factor model N={n} long-only"
    print(f"\nFolio's own dense QP on the formed Σ: {max(before.get(name, float('nan')), after.get(name, float('nan'))):,.0f} ms")


if __name__ == "__main__":
    main()
