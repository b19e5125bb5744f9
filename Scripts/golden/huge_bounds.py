#!/usr/bin/env python3
"""Golden values for mean-variance problems whose bounds are huge finite numbers (issue 10).

Run with: /work/pyenv/bin/python Scripts/golden/huge_bounds.py
Packages: numpy 2.4.6, cvxpy 1.9.3, clarabel 0.11.1.

Bounds of ±1e6 are a common stand-in for "no bound" on long-short weights that sum to 1. The
covariance is a factor model Σ = B Bᵀ + diag(d) with B and d rounded to binary fractions (so
Swift and numpy form the identical matrix), annual units; expected returns are rounded the
same way. A second case multiplies the covariance by 1e12 and the returns by 1e6 (returns in
"per million" units). The reference solution is cvxpy with Clarabel at tight tolerances.
Writes Tests/FolioOptimizationTests/Fixtures/huge_bounds_golden.json.
"""
import json
import os

import cvxpy as cp
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "huge_bounds_golden.json")
CLARABEL = dict(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10,
                tol_ktratio=1e-8, max_iter=500)
BOUND = 1e6


def model(n, seed, k=5):
    rng = np.random.default_rng(seed)
    b = rng.standard_normal((n, k)) * np.array([0.16] + [0.07] * (k - 1))
    b = np.round(b * 2**20) / 2**20
    d = rng.uniform(0.10, 0.35, n) ** 2
    d = np.round(d * 2**30) / 2**30
    mu = np.round(rng.uniform(0.02, 0.14, n) * 2**20) / 2**20
    return b, d, mu


def solve(sigma, mu, kind, parameter):
    n = len(mu)
    w = cp.Variable(n)
    cons = [cp.sum(w) == 1, w >= -BOUND, w <= BOUND]
    if kind == "minimumVariance":
        obj = cp.Minimize(cp.quad_form(w, cp.psd_wrap(sigma)))
    elif kind == "efficientReturn":
        obj = cp.Minimize(cp.quad_form(w, cp.psd_wrap(sigma)))
        cons.append(mu @ w >= parameter)
    elif kind == "maximumUtility":
        obj = cp.Maximize(mu @ w - 0.5 * parameter * cp.quad_form(w, cp.psd_wrap(sigma)))
    elif kind == "maximumSharpe":
        y = cp.Variable(n)
        kappa = cp.Variable()
        prob = cp.Problem(cp.Minimize(cp.quad_form(y, cp.psd_wrap(sigma))),
                          [mu @ y == 1, cp.sum(y) == kappa, kappa >= 0, y >= -BOUND * kappa, y <= BOUND * kappa])
        prob.solve(**CLARABEL)
        assert prob.status == "optimal", prob.status
        return (y.value / kappa.value).tolist()
    prob = cp.Problem(obj, cons)
    prob.solve(**CLARABEL)
    assert prob.status == "optimal", prob.status
    return w.value.tolist()


cases = []
for name, n, seed, scale in [("annual", 12, 101, 1.0), ("per-million", 8, 102, 1e6)]:
    b, d, mu = model(n, seed)
    sigma = (b @ b.T + np.diag(d))
    sigma = (sigma + sigma.T) / 2
    s_sigma, s_mu = sigma * scale**2, mu * scale
    # (Clarabel reports the per-million efficient return at 0.6 "infeasible", which it is not.)
    # Targets of 1e3 and 3e4 (1e9 to 1e11 per million) and a risk aversion of 1e-7 put
    # weights at or near the bounds.
    problems = [("minimumVariance", 0.0), ("efficientReturn", 0.12 * scale)] + (
        [("efficientReturn", 0.6), ("efficientReturn", 1e3), ("efficientReturn", 3e4), ("maximumUtility", 1e-7)]
        if scale == 1 else [("efficientReturn", 1e9), ("efficientReturn", 3e10), ("efficientReturn", 1e11)]) + [
                ("maximumUtility", 1.0 / scale), ("maximumUtility", 0.05 / scale), ("maximumSharpe", 0.0)]
    for kind, parameter in problems:
        # Clarabel solves the equivalent problem in annual units (it calls the per-million
        # problems with large targets "infeasible"); Folio gets the scaled one.
        annual_parameter = parameter / scale if kind == "efficientReturn" else parameter * scale
        weights = solve(sigma, mu, kind, annual_parameter)
        wv = np.array(weights)
        cases.append({
            "name": f"{name} {kind} {parameter:g}", "kind": kind, "parameter": parameter, "scale": scale,
            "factorLoadings": b.tolist(), "idiosyncratic": d.tolist(), "expectedReturns": mu.tolist(),
            "weights": weights, "variance": float(wv @ s_sigma @ wv), "expectedReturn": float(s_mu @ wv),
        })
with open(OUT, "w") as f:
    json.dump({"bound": BOUND, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
for c in cases:
    print(c["name"], "max |w| =", max(abs(x) for x in c["weights"]), "variance", c["variance"])
