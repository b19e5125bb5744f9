#!/usr/bin/env python3
"""Golden cases for the mean-variance fixes the peers' own test suites found (issue 17).

Run with: python3 Scripts/golden/peer_fixes.py
Packages: numpy, cvxpy 1.9.3, clarabel 0.11.1, PyPortfolioOpt 1.6.0.

- Efficient risk with an L2 term: PyPortfolioOpt's `efficient_risk(target)` after
  `add_objective(objective_functions.L2_reg, gamma=γ)` maximizes μᵀw − γ‖w‖² subject to
  wᵀΣw ≤ target² (not a point of the regularized frontier). The reference weights come from
  the KKT conditions (bisection on the volatility multiplier, each step a Clarabel QP); the
  cone program cvxpy builds, which Clarabel solves only to `optimal_inaccurate`, is kept as
  `socpWeights` (agreeing to ~1e-5, with a lower objective).
- Maximum Sharpe with tight upper bounds: many weights sit on a bound; Folio's weights must
  satisfy lo <= w <= hi exactly.
- Efficient risk with per-asset bounds and a target above the top of the frontier: the
  answer is the maximum-return portfolio, every weight within its bounds exactly.

Same problem generator and reference solver (cvxpy + Clarabel, tight tolerances) as
Scripts/golden/mean_variance.py; writes Tests/FolioOptimizationTests/Fixtures/peer_fixes_golden.json
in the same case format (with `assetBounds` when per-asset bounds are given).
"""
import json
import os
import sys

import cvxpy as cp
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mean_variance as mv  # noqa: E402

OUT = os.path.join(mv.ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "peer_fixes_golden.json")


def bounds_of(spec, n):
    if spec.get("assetBounds") is not None:
        return np.array([b[0] for b in spec["assetBounds"]]), np.array([b[1] for b in spec["assetBounds"]])
    lo, hi = spec.get("bounds", [0.0, 1.0])
    return np.full(n, lo), np.full(n, hi)


def efficient_risk(cov, mu, spec, target):
    n = len(mu)
    lo, hi = bounds_of(spec, n)
    gamma = spec.get("l2", 0.0)
    w = cp.Variable(n)
    cons = [cp.sum(w) == spec["budget"], w >= lo, w <= hi, cp.quad_form(w, cov, assume_PSD=True) <= target ** 2]
    prob = cp.Problem(cp.Maximize(mu @ w - gamma * cp.sum_squares(w)), cons)
    mv.solve(prob)
    x = w.value
    return x, float(mu @ x - gamma * x @ x)


def efficient_risk_by_multiplier(cov, mu, spec, target):
    """The same optimum through its KKT conditions: the minimizer of the Lagrangian
    −μᵀw + γ‖w‖² + λ·wᵀΣw (a QP Clarabel solves to 1e-13) for the λ ≥ 0 at which the
    volatility equals the target, by bisection. Clarabel reports the cone program above only
    as `optimal_inaccurate` (weights good to ~1e-5); this is the tighter reference."""
    n = len(mu)
    lo_b, hi_b = bounds_of(spec, n)
    gamma = spec.get("l2", 0.0)

    def lagrangian(lam):
        w = cp.Variable(n)
        prob = cp.Problem(cp.Minimize(-mu @ w + gamma * cp.sum_squares(w) + lam * cp.quad_form(w, cov, assume_PSD=True)),
                          [cp.sum(w) == spec["budget"], w >= lo_b, w <= hi_b])
        mv.solve(prob)
        return w.value

    def vol(w):
        return float(np.sqrt(w @ cov @ w))

    lo, hi = 0.0, 1.0
    while vol(lagrangian(hi)) > target:
        lo, hi = hi, 2 * hi
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if vol(lagrangian(mid)) <= target:
            hi = mid
        else:
            lo = mid
    x = lagrangian(hi)
    return x, float(mu @ x - gamma * x @ x)


def pypfopt_efficient_risk(cov, mu, spec, target):
    from pypfopt import EfficientFrontier, objective_functions
    n = len(mu)
    lo, hi = bounds_of(spec, n)
    ef = EfficientFrontier(mu, cov, weight_bounds=list(zip(lo, hi)), solver="CLARABEL")
    if spec.get("l2", 0):
        ef.add_objective(objective_functions.L2_reg, gamma=spec["l2"])
    ef.efficient_risk(target)
    return [float(v) for v in ef.weights]


def pypfopt_max_sharpe(cov, mu, spec, rf):
    from pypfopt import EfficientFrontier
    ef = EfficientFrontier(mu, cov, weight_bounds=tuple(spec["bounds"]), solver="CLARABEL")
    ef.max_sharpe(risk_free_rate=rf)
    return [float(v) for v in ef.weights]


def main():
    out = []

    def entry(name, n, seed, objective, spec, b, d, mu, x, obj, pw=None, **extra):
        e = dict(name=name, n=n, seed=seed, objective=objective, constraints=spec, **extra)
        e["clarabelStatus"] = mv.STATUS[-1] if mv.STATUS else "closed form"
        e["factors"] = [[float(v) for v in row] for row in b]
        e["specific"] = [float(v) for v in d]
        e["expectedReturns"] = [float(v) for v in mu]
        e["weights"] = [float(v) for v in x]
        e["objectiveValue"] = obj
        if pw is not None:
            e["pypfoptWeights"] = pw
        print(f"{name:36s} obj={obj:.12g} sum={np.sum(x):.6f} max={np.max(x):.4f} {e['clarabelStatus']}")
        out.append(e)

    # Efficient risk with an L2 term: the target between the minimum volatility and the
    # volatility of the unconstrained (λ = 0) optimum, so that the volatility constraint binds.
    for n, seed, gamma, hi in ((20, 401, 0.1, 1.0), (100, 402, 0.05, 0.1)):
        b, d, cov, mu = mv.model(n, seed)
        spec = {"budget": 1.0, "bounds": [0.0, hi], "l2": gamma}
        w = cp.Variable(n)
        base = [cp.sum(w) == 1, w >= 0, w <= hi]
        cp.Problem(cp.Minimize(cp.quad_form(w, cov, assume_PSD=True)), base).solve(**mv.CLARABEL)
        vmin = float(np.sqrt(w.value @ cov @ w.value))
        cp.Problem(cp.Maximize(mu @ w - gamma * cp.sum_squares(w)), base).solve(**mv.CLARABEL)
        vfree = float(np.sqrt(w.value @ cov @ w.value))
        target = round(vmin + 0.5 * (vfree - vmin), 6)
        assert vmin < target < vfree, (vmin, target, vfree)
        mv.STATUS.clear()
        socp, socp_obj = efficient_risk(cov, mu, spec, target)
        socp_status = mv.STATUS[-1]
        x, obj = efficient_risk_by_multiplier(cov, mu, spec, target)
        assert np.max(np.abs(x - socp)) < 1e-4 and obj >= socp_obj - 1e-12, (np.max(np.abs(x - socp)), obj, socp_obj)
        entry(f"efficient_risk_l2_{n}", n, seed, "efficientRisk", spec, b, d, mu, x, obj,
              pypfopt_efficient_risk(cov, mu, spec, target), target=target,
              socpWeights=[float(v) for v in socp], socpStatus=socp_status)

    # Maximum Sharpe with tight caps: most of the budget sits on upper bounds.
    n, seed = 60, 403
    b, d, cov, mu = mv.model(n, seed)
    spec = {"budget": 1.0, "bounds": [0.0, 0.03]}
    mv.STATUS.clear()
    x = mv.homogeneous(n, cov, mu - 0.01, spec)
    entry("maxsharpe_capped_60", n, seed, "maximumSharpe", spec, b, d, mu, x,
          float((mu @ x - 0.01) / np.sqrt(x @ cov @ x)), pypfopt_max_sharpe(cov, mu, spec, 0.01), riskFreeRate=0.01)

    # Efficient risk above the top of the frontier, per-asset bounds: the maximum-return
    # portfolio (greedy fill by expected return), exact.
    n, seed = 30, 404
    b, d, cov, mu = mv.model(n, seed)
    rng = np.random.default_rng(seed)
    his = np.round(rng.uniform(0.05, 0.2, n) * 2**10) / 2**10
    los = np.where(np.arange(n) % 5 == 0, 1 / 128, 0.0)
    spec = {"budget": 1.0, "assetBounds": [[float(l), float(h)] for l, h in zip(los, his)]}
    x = los.copy()
    remaining = 1.0 - x.sum()
    for i in np.argsort(-mu, kind="stable"):
        add = min(his[i] - x[i], remaining)
        x[i] += add
        remaining -= add
    top = float(np.sqrt(x @ cov @ x))
    target = round(top * 1.5, 6)
    mv.STATUS.clear()
    xr, obj = efficient_risk(cov, mu, spec, target)
    assert np.max(np.abs(xr - x)) < 1e-6, np.max(np.abs(xr - x))
    entry("efficient_risk_above_top_asset_bounds_30", n, seed, "efficientRisk", spec, b, d, mu, x, float(mu @ x),
          pypfopt_efficient_risk(cov, mu, spec, target), target=target)

    with open(OUT, "w") as f:
        json.dump({"generator": "Scripts/golden/peer_fixes.py", "cases": out}, f)
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
