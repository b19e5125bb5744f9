#!/usr/bin/env python3
"""Golden values for Folio's critical line algorithm (FolioOptimization.CriticalLine).

Run with: /work/pyenv/bin/python Scripts/golden/critical_line.py
Packages: numpy 2.4.6, cvxpy 1.9.3, clarabel 0.11.1, PyPortfolioOpt 1.6.0.

For seeded budget + bounds problems (long-only, capped, long-short) it records the corner
portfolios of PyPortfolioOpt's critical line implementation (pypfopt.cla.CLA, an
independent implementation of Markowitz's algorithm after Bailey & López de Prado 2013),
efficient-return portfolios at interior target returns and the maximum-Sharpe portfolio
from cvxpy + Clarabel at tight tolerances. Inputs are stored as JSON floats (full double
precision). Writes Tests/FolioOptimizationTests/Fixtures/critical_line_golden.json.
"""
import json
import os

import cvxpy as cp
import numpy as np
from pypfopt.cla import CLA

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "critical_line_golden.json")
CLARABEL = dict(solver=cp.CLARABEL, tol_gap_abs=1e-13, tol_gap_rel=1e-13, tol_feas=1e-13,
                tol_ktratio=1e-11, max_iter=500)


def problem(n, t, seed):
    rng = np.random.default_rng(seed)
    market = rng.standard_normal(t) * 0.16 / np.sqrt(252)
    beta = rng.uniform(0.5, 1.5, n)
    r = rng.uniform(0.0, 0.15, n) / 252 + market[:, None] * beta + rng.standard_normal((t, n)) * rng.uniform(0.1, 0.35, n) / np.sqrt(252)
    mu = r.mean(axis=0) * 252
    x = r - r.mean(axis=0)
    return mu, x.T @ x * (252 / (t - 1))


def efficient_return(mu, cov, lo, hi, target):
    w = cp.Variable(len(mu))
    cp.Problem(cp.Minimize(cp.quad_form(w, cov, assume_PSD=True)),
               [cp.sum(w) == 1, w >= lo, w <= hi, mu @ w >= target]).solve(**CLARABEL)
    return w.value


def max_sharpe(mu, cov, lo, hi, rf):
    y = cp.Variable(len(mu))
    k = cp.Variable(nonneg=True)
    cp.Problem(cp.Minimize(cp.quad_form(y, cov, assume_PSD=True)),
               [(mu - rf) @ y == 1, cp.sum(y) == k, y >= lo * k, y <= hi * k]).solve(**CLARABEL)
    return y.value / k.value


def case(name, n, t, seed, lo, hi, rf=0.01):
    mu, cov = problem(n, t, seed)
    cla = CLA(mu, cov, weight_bounds=(lo, hi))
    cla._solve()
    corners = [np.asarray(w).ravel().tolist() for w in cla.w]
    rets = [float(mu @ np.asarray(w).ravel()) for w in cla.w]
    top, bottom = max(rets), min(rets)
    targets = [bottom + (top - bottom) * f for f in (0.1, 0.37, 0.5, 0.81, 0.95)]
    return dict(
        name=name, lower=lo, upper=hi, riskFreeRate=rf,
        mean=mu.tolist(), covariance=cov.T.ravel().tolist(),  # column-major
        pyportfoliooptCorners=corners,
        targets=targets,
        efficientReturnWeights=[efficient_return(mu, cov, lo, hi, tr).tolist() for tr in targets],
        maxSharpeWeights=max_sharpe(mu, cov, lo, hi, rf).tolist(),
    )


if __name__ == "__main__":
    cases = [
        case("long-only N=20", 20, 500, 11, 0.0, 1.0),
        case("capped 0..0.15 N=30", 30, 400, 12, 0.0, 0.15),
        case("long-short -0.3..0.6 N=15", 15, 300, 13, -0.3, 0.6),
    ]
    with open(OUT, "w") as f:
        json.dump(cases, f)
    print(OUT, os.path.getsize(OUT), "bytes;", [len(c["pyportfoliooptCorners"]) for c in cases], "corners")
