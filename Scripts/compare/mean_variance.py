#!/usr/bin/env python3
"""Mean-variance speed comparison: Folio vs PyPortfolioOpt, skfolio and raw cvxpy+Clarabel.

Workloads (long-only, fully invested, T = 2520 daily returns from Scripts/compare/inputs.py,
annualized arithmetic mean and sample covariance with 252 periods, risk-free rate 0):
  W3 minimum variance, W4 maximum Sharpe, W5 50-point efficient frontier,
at N = 20, 100, 500. Each peer receives the same μ and Σ; only the optimization is timed
(median of >= 5 runs after a warm-up). Then Folio's benchmark (Benchmarks/, target
OptimizationBenchmarks) runs in the same invocation and one table is printed.

Run: /work/pyenv/bin/python Scripts/compare/mean_variance.py [--sizes 20,100,500] [--runs 5]
Packages: numpy 2.4.6, cvxpy 1.9.3, clarabel 0.11.1, PyPortfolioOpt 1.6.0, skfolio 1.12.2.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import inputs  # noqa: E402


def annualized(r):
    mu = r.mean(axis=0) * 252
    x = r - r.mean(axis=0)
    return mu, x.T @ x * (252 / (len(r) - 1))


def timed(fn, runs, budget=120.0):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
        if time.perf_counter() - start > budget:
            break
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


def pypfopt_minvar(mu, cov):
    from pypfopt import EfficientFrontier
    return EfficientFrontier(mu, cov).min_volatility()


def pypfopt_maxsharpe(mu, cov):
    from pypfopt import EfficientFrontier
    return EfficientFrontier(mu, cov).max_sharpe(risk_free_rate=0.0)


def pypfopt_frontier(mu, cov, points=50):
    from pypfopt import EfficientFrontier
    ef = EfficientFrontier(mu, cov)
    lo = float(mu @ np.array(list(ef.min_volatility().values())))
    hi = float(mu.max())
    for t in np.linspace(lo, hi, points)[:-1]:
        EfficientFrontier(mu, cov).efficient_return(t)


def skfolio_model(kind, mu, cov, points=None):
    from skfolio.optimization import MeanRisk, ObjectiveFunction
    from skfolio.prior import EmpiricalPrior  # noqa: F401
    obj = {"minvar": ObjectiveFunction.MINIMIZE_RISK, "sharpe": ObjectiveFunction.MAXIMIZE_RATIO}[kind]
    kwargs = dict(objective_function=obj)
    if points:
        kwargs["efficient_frontier_size"] = points
    return MeanRisk(**kwargs)


def folio_benchmarks():
    cmd = ["swift", "package", "--disable-sandbox", "benchmark", "--target", "OptimizationBenchmarks",
           "--no-progress", "--format", "markdown"]
    out = subprocess.run(cmd, cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True).stdout
    result = {}
    current = None
    for line in out.splitlines():
        m = re.search(r"### (.+?) metrics", line)
        if m:
            current = m.group(1).strip()
        m = re.match(r"\|\s*Time \(wall clock\) \(ms\)\s*\*?\|\s*([\d.,]+)\s*\|\s*([\d.,]+)\s*\|\s*([\d.,]+)\s*\|\s*([\d.,]+)", line)
        if m and current:
            result[current] = float(m.group(4).replace(",", ""))  # p50
    return result, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,100,500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-slow", action="store_true", help="skip skfolio and PyPortfolioOpt frontiers at N=500")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        os.environ.pop(var, None)  # peers only; this process times only the peers
    import pandas as pd
    rows = []
    for n in sizes:
        r = inputs.load(inputs.DEFAULT_DIR, n, 2520)
        mu, cov = annualized(r)
        mus, covs = pd.Series(mu), pd.DataFrame(cov)
        ret_df = pd.DataFrame(r)
        peers = {
            "minvar": {"cvxpy+Clarabel": lambda: cvxpy_minvar(mu, cov), "PyPortfolioOpt": lambda: pypfopt_minvar(mus, covs)},
            "sharpe": {"cvxpy+Clarabel": lambda: cvxpy_maxsharpe(mu, cov), "PyPortfolioOpt": lambda: pypfopt_maxsharpe(mus, covs)},
            "frontier": {"cvxpy+Clarabel": lambda: cvxpy_frontier(mu, cov)},
        }
        if not (args.skip_slow and n >= 500):
            peers["frontier"]["PyPortfolioOpt"] = lambda: pypfopt_frontier(mus, covs)
        # skfolio fits on returns (its prior estimates μ and Σ itself: an extra covariance).
        peers["minvar"]["skfolio"] = lambda: skfolio_model("minvar", mu, cov).fit(ret_df)
        peers["sharpe"]["skfolio"] = lambda: skfolio_model("sharpe", mu, cov).fit(ret_df)
        if not (args.skip_slow and n >= 500):
            peers["frontier"]["skfolio"] = lambda: skfolio_model("minvar", mu, cov, points=50).fit(ret_df)
        for workload, tools in peers.items():
            for tool, fn in tools.items():
                runs = args.runs if not (workload == "frontier" and n >= 500) else 3
                try:
                    ms = timed(fn, runs)
                except Exception as e:  # noqa: BLE001
                    ms = f"error: {type(e).__name__}"
                rows.append((workload, n, tool, ms))
                print(f"  {workload} N={n} {tool}: {ms}", flush=True)
    folio, raw = folio_benchmarks()
    names = {"minvar": "min variance long-only N={n}", "sharpe": "max Sharpe long-only N={n}", "frontier": "frontier 50 points long-only N={n}"}
    print("\n| workload | N | Folio ms | peer | peer ms | ratio peer/Folio |")
    print("|---|---|---|---|---|---|")
    for workload, n, tool, ms in rows:
        f = folio.get(names[workload].format(n=n))
        ratio = f"{ms / f:.1f}x" if isinstance(ms, float) and f else "n/a"
        ms_s = f"{ms:.2f}" if isinstance(ms, float) else ms
        print(f"| {workload} | {n} | {f if f is not None else 'n/a'} | {tool} | {ms_s} | {ratio} |")
    if not folio:
        print(raw[-3000:])


if __name__ == "__main__":
    main()
