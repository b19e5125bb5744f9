#!/usr/bin/env python3
"""Mean-variance speed comparison: Folio vs PyPortfolioOpt, skfolio and raw cvxpy+Clarabel.

Workloads (long-only, fully invested, T = 2520 daily returns from Scripts/compare/inputs.py,
annualized arithmetic mean and sample covariance with 252 periods, risk-free rate 0):
  W3 minimum variance, W4 maximum Sharpe, W5 50-point efficient frontier,
at N = 20, 100, 500. Each peer receives the same μ and Σ; only the optimization is timed
(median of >= 5 runs after a warm-up). Then Folio's benchmark (Benchmarks/, target
OptimizationBenchmarks) runs in the same invocation and one table is printed.

PyPortfolioOpt runs twice: with its default solver (OSQP, which fails on some of these) and
with Clarabel. Both sides run in the same environment (the OpenBLAS cores are printed).

Run: python3 Scripts/compare/mean_variance.py [--sizes 20,100,500] [--runs 5]
A peer configuration whose warm-up run takes longer than --skip-after seconds (default 60)
is skipped and reported as such. Folio's benchmark runs before and after the peers; the
table shows the larger (slower) of its two medians and uses it for the ratio.
Packages: numpy 2.4.6, cvxpy 1.9.3, clarabel 0.11.1, PyPortfolioOpt 1.6.0, skfolio 1.12.2.
"""
import argparse
import os
import statistics
import sys
import time

# Both sides run in this environment, unchanged: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are
# neither set nor unset, so numpy's OpenBLAS and Folio's read the same variables (the cores
# each reports are printed).
ORIGINAL_ENV = dict(os.environ)

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import inputs  # noqa: E402


def annualized(r):
    mu = r.mean(axis=0) * 252
    x = r - r.mean(axis=0)
    return mu, x.T @ x * (252 / (len(r) - 1))


def timed(fn, runs, skip_after):
    """Median milliseconds of `runs` calls after one warm-up; a string when skipped."""
    t = time.perf_counter()
    fn()  # warm-up
    warm = time.perf_counter() - t
    if warm > skip_after:
        return f"skipped (warm-up {warm:.0f} s > {skip_after:.0f} s)"
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def cvxpy_minvar(mu, cov):
    import cvxpy as cp
    w = cp.Variable(len(mu))
    cp.Problem(cp.Minimize(cp.quad_form(w, cov, assume_PSD=True)), [cp.sum(w) == 1, w >= 0]).solve(solver=cp.CLARABEL)
    return w.value


def cvxpy_maxsharpe(mu, cov):
    import cvxpy as cp
    y = cp.Variable(len(mu))
    k = cp.Variable(nonneg=True)
    cp.Problem(cp.Minimize(cp.quad_form(y, cov, assume_PSD=True)), [mu @ y == 1, cp.sum(y) == k, y >= 0]).solve(solver=cp.CLARABEL)
    return y.value / k.value


def cvxpy_frontier(mu, cov, points=50):
    import cvxpy as cp
    n = len(mu)
    w = cp.Variable(n)
    target = cp.Parameter()
    prob = cp.Problem(cp.Minimize(cp.quad_form(w, cov, assume_PSD=True)), [cp.sum(w) == 1, w >= 0, mu @ w >= target])
    wmin = cvxpy_minvar(mu, cov)
    lo, hi = float(mu @ wmin), float(mu.max())
    out = []
    for t in np.linspace(lo, hi, points):
        target.value = t
        prob.solve(solver=cp.CLARABEL)
        out.append(w.value)
    return out


def pypfopt_minvar(mu, cov, solver=None):
    from pypfopt import EfficientFrontier
    return EfficientFrontier(mu, cov, solver=solver).min_volatility()


def pypfopt_maxsharpe(mu, cov, solver=None):
    from pypfopt import EfficientFrontier
    return EfficientFrontier(mu, cov, solver=solver).max_sharpe(risk_free_rate=0.0)


def pypfopt_frontier(mu, cov, points=50, solver=None):
    from pypfopt import EfficientFrontier
    ef = EfficientFrontier(mu, cov, solver=solver)
    lo = float(mu @ np.array(list(ef.min_volatility().values())))
    hi = float(mu.max())
    for t in np.linspace(lo, hi, points)[:-1]:
        EfficientFrontier(mu, cov, solver=solver).efficient_return(t)


def skfolio_model(kind, mu, cov, points=None):
    from skfolio.optimization import MeanRisk, ObjectiveFunction
    from skfolio.prior import EmpiricalPrior  # noqa: F401
    obj = {"minvar": ObjectiveFunction.MINIMIZE_RISK, "sharpe": ObjectiveFunction.MAXIMIZE_RATIO}[kind]
    kwargs = dict(objective_function=obj)
    if points:
        kwargs["efficient_frontier_size"] = points
    return MeanRisk(**kwargs)


def folio_benchmarks():
    """Runs Folio's OptimizationBenchmarks; returns {benchmark name: p50 ms}, core line, raw output."""
    return inputs.folio_benchmark("OptimizationBenchmarks", env=ORIGINAL_ENV)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,100,500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-after", type=float, default=60.0, help="skip a peer config whose warm-up exceeds this (s)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i.get('internal_api')} {i.get('version')} core {i.get('architecture')} threads {i.get('num_threads')}"
                for i in threadpool_info() if i.get("user_api") == "blas"]
        print("peers' BLAS:", "; ".join(blas), flush=True)
    except Exception as e:  # noqa: BLE001
        print("peers' BLAS: unknown", e)
    import pandas as pd
    print("Folio benchmark, first pass ...", flush=True)
    folio_before, core, raw_before = folio_benchmarks()
    print("Folio:", core, flush=True)
    rows = []
    for n in sizes:
        r = inputs.load(inputs.DEFAULT_DIR, n, 2520)
        mu, cov = annualized(r)
        mus, covs = pd.Series(mu), pd.DataFrame(cov)
        ret_df = pd.DataFrame(r)
        peers = {
            "minvar": {"cvxpy+Clarabel": lambda: cvxpy_minvar(mu, cov), "PyPortfolioOpt": lambda: pypfopt_minvar(mus, covs),
                       "PyPortfolioOpt+Clarabel": lambda: pypfopt_minvar(mus, covs, "CLARABEL"),
                       "skfolio": lambda: skfolio_model("minvar", mu, cov).fit(ret_df)},
            "sharpe": {"cvxpy+Clarabel": lambda: cvxpy_maxsharpe(mu, cov), "PyPortfolioOpt": lambda: pypfopt_maxsharpe(mus, covs),
                       "PyPortfolioOpt+Clarabel": lambda: pypfopt_maxsharpe(mus, covs, "CLARABEL"),
                       "skfolio": lambda: skfolio_model("sharpe", mu, cov).fit(ret_df)},
            "frontier": {"cvxpy+Clarabel": lambda: cvxpy_frontier(mu, cov), "PyPortfolioOpt": lambda: pypfopt_frontier(mus, covs),
                         "PyPortfolioOpt+Clarabel": lambda: pypfopt_frontier(mus, covs, solver="CLARABEL"),
                         "skfolio": lambda: skfolio_model("minvar", mu, cov, points=50).fit(ret_df)},
        }
        for workload, tools in peers.items():
            for tool, fn in tools.items():
                try:
                    ms = timed(fn, args.runs, args.skip_after)
                except Exception as e:  # noqa: BLE001
                    ms = f"error: {type(e).__name__}: {str(e)[:60]}"
                rows.append((workload, n, tool, ms))
                print(f"  {workload} N={n} {tool}: {ms}", flush=True)
    print("Folio benchmark, second pass ...", flush=True)
    folio_after, _, raw_after = folio_benchmarks()
    names = {"minvar": "min variance long-only N={n}", "sharpe": "max Sharpe long-only N={n}",
             "frontier": "frontier 50 points long-only N={n}"}
    tools = ["cvxpy+Clarabel", "PyPortfolioOpt", "PyPortfolioOpt+Clarabel", "skfolio"]
    print(f"\nFolio: {core}. Peers: median of {args.runs} runs after a warm-up. Folio: p50 of its benchmark, "
          "the larger of the runs before and after the peers. Ratio: fastest peer / Folio.\n")
    print("| workload | N | Folio ms (before / after) | " + " | ".join(f"{t} ms" for t in tools) + " | fastest peer / Folio |")
    print("|---|---|---|" + "---|" * len(tools) + "---|")
    for workload in names:
        for n in sizes:
            key = names[workload].format(n=n)
            before, after = folio_before.get(key), folio_after.get(key)
            folio = max(v for v in (before, after) if v is not None) if (before or after) else None
            cells, numeric = [], []
            for t in tools:
                ms = next((m for w, nn, tt, m in rows if w == workload and nn == n and tt == t), "n/a")
                if isinstance(ms, float):
                    numeric.append(ms)
                    cells.append(f"{ms:,.2f}")
                else:
                    cells.append(ms)
            ratio = f"{min(numeric) / folio:,.0f}x" if numeric and folio else "n/a"
            fs = f"{folio:.3f} ({before:.3f} / {after:.3f})" if folio and before and after else "n/a"
            print(f"| {workload} | {n} | {fs} | " + " | ".join(cells) + f" | {ratio} |")
    if not folio_before or not folio_after:
        print((raw_before + raw_after)[-3000:])


if __name__ == "__main__":
    main()
