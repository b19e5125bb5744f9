#!/usr/bin/env python3
"""Golden values for `folio optimize --constraints FILE` with turnover, transaction costs and
linear rows, solved independently with cvxpy (Clarabel) on the bundled prices.

Run with:  python3 Scripts/golden/constraints_file.py
Writes:    Tests/FolioOptimizationTests/Fixtures/cli_constraints_golden.json

Generated with (pip): numpy, pandas, cvxpy 1.9.3 (Clarabel), pyportfolioopt 1.6.0.

Inputs as Folio's CLI computes them: simple returns of Examples/Data/prices.csv restricted to
the symbols below (pandas pct_change, first row dropped), sample covariance x 252
(PyPortfolioOpt sample_cov), compounded historical mean (PyPortfolioOpt
mean_historical_return). Each case holds the constraints and current-weights files as text
(YAML), so the Swift test writes them out and runs the real command.
"""
import json
import os

import cvxpy as cp
import numpy as np
import pandas as pd
from pypfopt import expected_returns, risk_models

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "cli_constraints_golden.json")
SYMBOLS = ["FUSLC", "FUSSC", "FINTL", "FEMKT", "FAGGB", "FTIPS", "FREIT", "FGOLD"]

prices = pd.read_csv(os.path.join(ROOT, "Examples", "Data", "prices.csv"), index_col=0, parse_dates=True)[SYMBOLS]
S = risk_models.sample_cov(prices, frequency=252).values
S = (S + S.T) / 2
mu = expected_returns.mean_historical_return(prices, frequency=252).values
n = len(SYMBOLS)
idx = {s: i for i, s in enumerate(SYMBOLS)}
current = {"FUSLC": 0.40, "FINTL": 0.20, "FAGGB": 0.30, "FGOLD": 0.10}
c = np.array([current.get(s, 0.0) for s in SYMBOLS])
current_yaml = "targets:\n" + "".join(f"  {s}: {w}\n" for s, w in current.items())


def solve(objective, cons, w):
    problem = cp.Problem(objective, cons)
    problem.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    assert problem.status == "optimal", problem.status
    return w.value


cases = []

# 1. Minimum variance, turnover cap 0.25 against the current weights.
w = cp.Variable(n)
x = solve(cp.Minimize(cp.quad_form(w, S)), [cp.sum(w) == 1, w >= 0, w <= 1, cp.norm1(w - c) <= 0.25], w)
cases.append({"name": "minvar_turnover", "objective": "min-variance", "current": True,
              "constraints": "turnover: 0.25\n",
              "weights": dict(zip(SYMBOLS, map(float, x))), "objectiveValue": float(x @ S @ x)})

# 2. Minimum variance with a group used in a linear row and a two-symbol equality.
equities = ["FUSLC", "FUSSC", "FINTL", "FEMKT"]
a1 = np.array([1.0 if s in equities else 0.0 for s in SYMBOLS])
a2 = np.zeros(n); a2[idx["FUSLC"]] = 1; a2[idx["FINTL"]] = -1
a3 = np.zeros(n); a3[idx["FGOLD"]] = 2; a3[idx["FREIT"]] = 1
w = cp.Variable(n)
x = solve(cp.Minimize(cp.quad_form(w, S)),
          [cp.sum(w) == 1, w >= 0, w <= 1, a1 @ w >= 0.6, a2 @ w == 0.05, a3 @ w <= 0.1], w)
cases.append({"name": "minvar_linear", "objective": "min-variance", "current": False,
              "constraints": "groups:\n  equities: {assets: [FUSLC, FUSSC, FINTL, FEMKT]}\n"
                             "linear:\n"
                             "  - {name: equity floor, terms: {equities: 1}, min: 0.6}\n"
                             "  - {name: tilt, terms: {FUSLC: 1, FINTL: -1}, equals: 0.05}\n"
                             "  - {terms: {FGOLD: 2, freit: 1}, max: 0.1}\n",
              "weights": dict(zip(SYMBOLS, map(float, x))), "objectiveValue": float(x @ S @ x)})

# 3. Maximum utility (delta 2) with transaction costs 30 bps flat, FEMKT 150 bps, and a turnover cap.
rates = np.full(n, 30e-4); rates[idx["FEMKT"]] = 150e-4
w = cp.Variable(n)
x = solve(cp.Maximize(mu @ w - 0.5 * 2 * cp.quad_form(w, S) - rates @ cp.abs(w - c)),
          [cp.sum(w) == 1, w >= 0, w <= 0.4, cp.norm1(w - c) <= 0.6], w)
cases.append({"name": "utility_costs", "objective": "max-utility", "riskAversion": 2, "current": True,
              "constraints": "bounds: {min: 0, max: 0.4}\nturnover: 0.6\ntransaction_costs: {default: 30, FEMKT: 150}\n",
              "weights": dict(zip(SYMBOLS, map(float, x))),
              "objectiveValue": float(mu @ x - x @ S @ x - rates @ np.abs(x - c))})

with open(OUT, "w") as f:
    json.dump({"generator": "Scripts/golden/constraints_file.py", "symbols": SYMBOLS, "current": current_yaml, "cases": cases}, f, indent=1)
    f.write("\n")
print("wrote", OUT)
for case in cases:
    print(case["name"], {k: round(v, 4) for k, v in case["weights"].items()})
