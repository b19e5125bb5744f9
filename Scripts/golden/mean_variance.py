#!/usr/bin/env python3
"""Golden values for Folio's mean-variance family (FolioOptimization).

Run with: /work/pyenv/bin/python Scripts/golden/mean_variance.py
Packages: numpy 2.4.6, cvxpy 1.9.3, clarabel 0.11.1, PyPortfolioOpt 1.6.0.

Each case is a seeded problem whose covariance is a factor model Σ = B Bᵀ + diag(d) with B
and d rounded to binary fractions, so that Swift (BLAS dgemm) and numpy form the identical
matrix bit for bit. The reference solution is cvxpy with Clarabel at tight tolerances
(1e-12); where PyPortfolioOpt has the same problem, its weights are recorded too.
Writes Tests/FolioOptimizationTests/Fixtures/mean_variance_golden.json.
"""
import json
import os

import cvxpy as cp
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "mean_variance_golden.json")
CLARABEL = dict(solver=cp.CLARABEL, tol_gap_abs=1e-13, tol_gap_rel=1e-13, tol_feas=1e-13,
                tol_ktratio=1e-11, max_iter=500, static_regularization_constant=1e-10)


def model(n, seed, k=8):
    rng = np.random.default_rng(seed)
    b = rng.standard_normal((n, k)) * np.array([0.16] + [0.07] * (k - 1))
    b = np.round(b * 2**20) / 2**20
    d = (rng.uniform(0.10, 0.35, n) ** 2)
    d = np.round(d * 2**30) / 2**30
    cov = b @ b.T + np.diag(d)
    mu = rng.uniform(0.02, 0.16, n)
    return b, d, cov, mu


STATUS = []


def solve(prob):
    prob.solve(**CLARABEL)
    STATUS.append(prob.status)
    assert prob.status in ("optimal", "optimal_inaccurate"), prob.status
    return prob.status


def build(n, w, spec, mu, w_var=None):
    """cvxpy constraints mirroring PortfolioConstraints (non-homogeneous)."""
    cons = []
    if spec.get("budget") is not None:
        cons.append(cp.sum(w) == spec["budget"])
    lo, hi = spec.get("bounds", [0.0, 1.0])
    if lo is not None and np.isfinite(lo):
        cons.append(w >= lo)
    if hi is not None and np.isfinite(hi):
        cons.append(w <= hi)
    for g in spec.get("groups", []):
        s = cp.sum(w[g["assets"]])
        cons += [s >= g["bounds"][0], s <= g["bounds"][1]]
    for c in spec.get("linear", []):
        e = np.array(c["coefficients"]) @ w
        cons.append({"le": e <= c["bound"], "eq": e == c["bound"], "ge": e >= c["bound"]}[c["relation"]])
    if spec.get("grossLeverage") is not None:
        cons.append(cp.norm1(w) <= spec["grossLeverage"])
    if spec.get("turnoverLimit") is not None:
        cons.append(cp.norm1(w - np.array(spec["currentWeights"])) <= spec["turnoverLimit"])
    return cons


def penalties(w, spec):
    p = 0
    if spec.get("l2", 0):
        p = p + spec["l2"] * cp.sum_squares(w)
    if spec.get("transactionCosts") is not None:
        p = p + np.array(spec["transactionCosts"]) @ cp.abs(w - np.array(spec["currentWeights"]))
    return p


def homogeneous(n, cov, a, spec):
    """min yᵀΣy s.t. aᵀy = 1 with the constraints homogenized by κ."""
    y = cp.Variable(n)
    k = cp.Variable(nonneg=True)
    cons = [a @ y == 1]
    if spec.get("budget") is not None:
        cons.append(cp.sum(y) == spec["budget"] * k)
    lo, hi = spec.get("bounds", [0.0, 1.0])
    if np.isfinite(lo):
        cons.append(y >= lo * k)
    if np.isfinite(hi):
        cons.append(y <= hi * k)
    for g in spec.get("groups", []):
        s = cp.sum(y[g["assets"]])
        cons += [s >= g["bounds"][0] * k, s <= g["bounds"][1] * k]
    for c in spec.get("linear", []):
        e = np.array(c["coefficients"]) @ y
        cons.append({"le": e <= c["bound"] * k, "eq": e == c["bound"] * k, "ge": e >= c["bound"] * k}[c["relation"]])
    if spec.get("grossLeverage") is not None:
        cons.append(cp.norm1(y) <= spec["grossLeverage"] * k)
    if spec.get("turnoverLimit") is not None:
        cons.append(cp.norm1(y - np.array(spec["currentWeights"]) * k) <= spec["turnoverLimit"] * k)
    l2 = spec.get("l2", 0)
    obj = cp.quad_form(y, cov, assume_PSD=True) + l2 * cp.sum_squares(y)
    prob = cp.Problem(cp.Minimize(obj), cons)
    solve(prob)
    return y.value / k.value


def reference(case, cov, mu):
    n = case["n"]
    spec = case["constraints"]
    kind = case["objective"]
    w = cp.Variable(n)
    cons = build(n, w, spec, mu)
    pen = penalties(w, spec)
    var = cp.quad_form(w, cov, assume_PSD=True)
    if kind == "minimumVariance":
        prob = cp.Problem(cp.Minimize(var + pen), cons)
        solve(prob)
        x = w.value
        obj = float(x @ cov @ x + spec.get("l2", 0) * x @ x + cost(x, spec))
    elif kind == "maximumUtility":
        delta = case["riskAversion"]
        prob = cp.Problem(cp.Maximize(mu @ w - 0.5 * delta * var - pen), cons)
        solve(prob)
        x = w.value
        obj = float(mu @ x - 0.5 * delta * x @ cov @ x - spec.get("l2", 0) * x @ x - cost(x, spec))
    elif kind == "efficientReturn":
        prob = cp.Problem(cp.Minimize(var + pen), cons + [mu @ w >= case["target"]])
        solve(prob)
        x = w.value
        obj = float(x @ cov @ x + spec.get("l2", 0) * x @ x + cost(x, spec))
    elif kind == "efficientRisk":
        prob = cp.Problem(cp.Maximize(mu @ w), cons + [var <= case["target"] ** 2])
        solve(prob)
        x = w.value
        obj = float(mu @ x)
    elif kind == "minimumTrackingError":
        bench = np.array(case["benchmark"])
        prob = cp.Problem(cp.Minimize(cp.quad_form(w - bench, cov, assume_PSD=True) + pen), cons)
        solve(prob)
        x = w.value
        obj = float((x - bench) @ cov @ (x - bench) + spec.get("l2", 0) * x @ x + cost(x, spec))
    elif kind == "maximumSharpe":
        rf = case.get("riskFreeRate", 0.0)
        x = homogeneous(n, cov, mu - rf, spec)
        obj = float((mu @ x - rf) / np.sqrt(x @ cov @ x))
    elif kind == "maximumDiversification":
        sig = np.sqrt(np.diag(cov))
        x = homogeneous(n, cov, sig, spec)
        obj = float(sig @ x / np.sqrt(x @ cov @ x))
    else:
        raise ValueError(kind)
    return x, obj


def cost(x, spec):
    if spec.get("transactionCosts") is None:
        return 0.0
    return float(np.array(spec["transactionCosts"]) @ np.abs(x - np.array(spec["currentWeights"])))


def pypfopt_weights(case, cov, mu):
    """PyPortfolioOpt on the long-only problems it has, or None."""
    from pypfopt import EfficientFrontier
    spec = case["constraints"]
    if set(spec) - {"budget", "bounds"} or spec.get("budget") != 1:
        return None
    ef = EfficientFrontier(mu, cov, weight_bounds=tuple(spec.get("bounds", [0, 1])), solver="CLARABEL")
    kind = case["objective"]
    try:
        if kind == "minimumVariance":
            ef.min_volatility()
        elif kind == "maximumSharpe":
            ef.max_sharpe(risk_free_rate=case.get("riskFreeRate", 0.0))
        elif kind == "maximumUtility":
            ef.max_quadratic_utility(risk_aversion=case["riskAversion"])
        elif kind == "efficientReturn":
            ef.efficient_return(case["target"])
        elif kind == "efficientRisk":
            ef.efficient_risk(case["target"])
        else:
            return None
    except Exception:
        return None
    return [float(v) for v in ef.weights]


def cases():
    out = []

    def add(name, n, seed, objective, constraints=None, **extra):
        out.append(dict(name=name, n=n, seed=seed, objective=objective, constraints=constraints or {"budget": 1.0, "bounds": [0.0, 1.0]}, **extra))

    for n in (20, 100, 500):
        add(f"minvar_longonly_{n}", n, 100 + n, "minimumVariance")
        add(f"maxsharpe_longonly_{n}", n, 200 + n, "maximumSharpe", riskFreeRate=0.02 if n == 100 else 0.0)
    add("utility_capped_100", 100, 301, "maximumUtility", {"budget": 1.0, "bounds": [0.0, 0.1]}, riskAversion=2.0)
    add("efficient_return_100", 100, 302, "efficientReturn", target=0.12)
    add("efficient_risk_100", 100, 303, "efficientRisk", target=0.13)
    add("efficient_return_500", 500, 304, "efficientReturn", target=0.13)
    rng = np.random.default_rng(7)
    bench = rng.uniform(0, 1, 100); bench = bench / bench.sum()
    groups100 = [int(v) for v in rng.integers(0, 5, 100)]
    gspec = [{"name": f"sector{g}", "assets": [i for i in range(100) if groups100[i] == g], "bounds": [0.05, 0.3]} for g in range(5)]
    add("tracking_groups_100", 100, 305, "minimumTrackingError", {"budget": 1.0, "bounds": [0.0, 0.015], "groups": gspec},
        benchmark=[float(v) for v in bench], assetGroups=groups100)
    add("maxdiv_longonly_100", 100, 306, "maximumDiversification")
    add("minvar_longshort_leverage_100", 100, 307, "minimumVariance", {"budget": 1.0, "bounds": [-0.2, 0.5], "grossLeverage": 1.6})
    add("utility_market_neutral_20", 20, 308, "maximumUtility", {"budget": 0.0, "bounds": [-0.1, 0.1], "grossLeverage": 1.0}, riskAversion=5.0)
    cur = rng.uniform(0, 1, 100); cur = cur / cur.sum()
    add("minvar_turnover_100", 100, 309, "minimumVariance", {"budget": 1.0, "bounds": [0.0, 1.0], "currentWeights": [float(v) for v in cur], "turnoverLimit": 0.3})
    costs = rng.uniform(0.0005, 0.003, 100)
    add("utility_costs_l2_100", 100, 310, "maximumUtility",
        {"budget": 1.0, "bounds": [0.0, 0.2], "currentWeights": [float(v) for v in cur], "transactionCosts": [float(v) for v in costs], "l2": 0.01},
        riskAversion=3.0)
    beta = rng.uniform(0.5, 1.5, 100)
    tilt = rng.standard_normal(100)
    add("minvar_linear_100", 100, 311, "minimumVariance",
        {"budget": 1.0, "bounds": [0.0, 0.1],
         "linear": [{"name": "beta", "coefficients": [float(v) for v in beta], "relation": "eq", "bound": 1.0},
                    {"name": "tilt", "coefficients": [float(v) for v in tilt], "relation": "ge", "bound": 0.2}]})
    add("maxsharpe_groups_100", 100, 312, "maximumSharpe", {"budget": 1.0, "bounds": [0.0, 0.08], "groups": gspec}, riskFreeRate=0.01)
    groups500 = [int(v) for v in rng.integers(0, 10, 500)]
    g500 = [{"name": f"sector{g}", "assets": [i for i in range(500) if groups500[i] == g], "bounds": [0.02, 0.2]} for g in range(10)]
    add("minvar_groups_l2_500", 500, 313, "minimumVariance", {"budget": 1.0, "bounds": [0.0, 0.03], "groups": g500, "l2": 0.001})
    add("maxsharpe_leverage_20", 20, 314, "maximumSharpe", {"budget": 1.0, "bounds": [-0.3, 0.6], "grossLeverage": 1.5})
    add("efficient_risk_turnover_20", 20, 315, "efficientRisk",
        {"budget": 1.0, "bounds": [0.0, 0.3], "currentWeights": [0.05] * 20, "turnoverLimit": 0.5}, target=0.12)
    return out


def main():
    result = []
    for case in cases():
        b, d, cov, mu = model(case["n"], case["seed"])
        STATUS.clear()
        x, obj = reference(case, cov, mu)
        case["clarabelStatus"] = STATUS[-1]
        entry = dict(case)
        entry["factors"] = [[float(v) for v in row] for row in b]
        entry["specific"] = [float(v) for v in d]
        entry["expectedReturns"] = [float(v) for v in mu]
        entry["weights"] = [float(v) for v in x]
        entry["objectiveValue"] = obj
        pw = pypfopt_weights(case, cov, mu)
        if pw is not None:
            entry["pypfoptWeights"] = pw
        print(f"{case['name']:32s} obj={obj:.12g} sum={x.sum():.6f} max={x.max():.4f} pypfopt={'yes' if pw else 'no'} {case['clarabelStatus']}")
        result.append(entry)
    with open(OUT, "w") as f:
        json.dump({"generator": "Scripts/golden/mean_variance.py", "cases": result}, f)
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
