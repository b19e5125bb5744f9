#!/usr/bin/env python3
"""Golden values for Folio's walk-forward and combinatorial purged cross-validation
(FolioOptimization's WalkForward, CombinatorialPurgedCV and OutOfSampleEvaluation).

Run with: python3 Scripts/golden/walk_forward.py
Packages: skfolio 1.12.2, scikit-learn 1.9.1, numpy 2.4.6, pandas, cvxpy with Clarabel.

Reference: skfolio's `cross_val_predict` with `WalkForward(train_size, test_size)` (and
`CombinatorialPurgedCV`) for `MeanRisk()` with `EmpiricalCovariance` and `EmpiricalMu`:
minimum variance and maximum Sharpe (`ObjectiveFunction.MAXIMIZE_RATIO`), long-only, fully
invested. Returns are skfolio's `prices_to_returns` (linear returns, pandas `pct_change`).
Clarabel runs at tight tolerances (1e-12) with skfolio's `scale_objective=1e4`: on these
near-degenerate problems (assets whose KKT multiplier is within 1e-7 of zero) that is the most
accurate skfolio gets, about 5e-7 on the weights; skfolio's default settings are 1e-4 to 3e-3
away from the optimum (recorded as `defaultToleranceWeightDifference`). Each skfolio solution is
also "polished": its support (weights above 1e-7) solved exactly with numpy (the KKT system of
the budget on the free assets), and the script asserts that the polished point satisfies every
KKT condition (nonnegative multipliers of the assets at zero). The polished weights and their
out-of-sample returns are the exact optimum in skfolio's active set: Folio must meet them to
1e-9 and 1e-8, and skfolio's own interior-point output to 1e-6 (weights) and 1e-7 (returns).

The out-of-sample returns are skfolio's: in each test window the weights fitted on the train
window are held fixed (no drift, `weight_drift=False`) and each day's portfolio return is the
weights times that day's linear asset returns. The metrics are skfolio's `annualized_mean`,
`annualized_standard_deviation`, `annualized_sharpe_ratio` (risk-free 0, factor 252) and
`max_drawdown` with `compounded=True` (the peak starts at 1).

Writes Tests/FolioOptimizationTests/Fixtures/walk_forward_golden.json.
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
from skfolio import Population
from skfolio.model_selection import CombinatorialPurgedCV, WalkForward, cross_val_predict
from skfolio.moments import EmpiricalCovariance, EmpiricalMu
from skfolio.optimization import MeanRisk, ObjectiveFunction
from skfolio.preprocessing import prices_to_returns
from skfolio.prior import EmpiricalPrior

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "walk_forward_golden.json")
TIGHT = dict(tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, tol_ktratio=1e-10, max_iter=500)
SUPPORT = 1e-7


def synthetic_prices(n, t, seed):
    """A seeded factor-model price history: T dates x N assets, rounded to 1e-4."""
    rng = np.random.default_rng(seed)
    market = rng.standard_normal(t) * 0.16 / np.sqrt(252)
    beta = rng.uniform(0.5, 1.5, n)
    vol = rng.uniform(0.10, 0.40, n) / np.sqrt(252)
    drift = rng.uniform(-0.02, 0.15, n) / 252
    r = drift + market[:, None] * beta + rng.standard_normal((t, n)) * vol
    r[0] = 0
    prices = 100 * np.exp(np.cumsum(np.log1p(r), axis=0))
    return np.round(prices, 4)


def model(objective, tight=True):
    prior = EmpiricalPrior(mu_estimator=EmpiricalMu(), covariance_estimator=EmpiricalCovariance())
    if not tight:
        return MeanRisk(objective_function=objective, prior_estimator=prior)
    return MeanRisk(objective_function=objective, prior_estimator=prior, solver_params=TIGHT, scale_objective=1e4)


def polish(weights, train, maximum_sharpe):
    """skfolio's active set solved exactly; asserts the KKT conditions of the long-only problem."""
    cov = np.cov(train.T, ddof=1)
    mu = train.mean(axis=0)
    free = weights > SUPPORT
    rhs = mu[free] if maximum_sharpe else np.ones(free.sum())
    z = np.linalg.solve(cov[np.ix_(free, free)], rhs)
    assert np.all(z > 0), "a free weight turned negative"
    w = np.zeros_like(weights)
    w[free] = z / z.sum()
    gradient = cov @ w
    if maximum_sharpe:
        # min yᵀΣy s.t. μᵀy = 1, y ≥ 0 with y = w/μᵀw: multipliers ν = 2Σy − λμ ≥ 0.
        scale = mu @ w
        lam = 2 * (w @ gradient) / scale ** 2
        nu = 2 * gradient / scale - lam * mu
    else:
        nu = 2 * gradient - 2 * (w @ gradient)
    assert np.all(nu[~free] >= -1e-12 * np.abs(gradient).max()), f"KKT multiplier negative: {nu[~free].min()}"
    return w


OBJECTIVES = {"minimumVariance": ObjectiveFunction.MINIMIZE_RISK, "maximumSharpe": ObjectiveFunction.MAXIMIZE_RATIO}


def metrics(p):
    return {"annualizedMean": float(p.annualized_mean),
            "annualizedVolatility": float(p.annualized_standard_deviation),
            "annualizedSharpe": float(p.annualized_sharpe_ratio),
            "maximumDrawdown": float(p.max_drawdown)}


def walk_forward_case(name, prices, assets, train, test, expanding=False, purge=0):
    x = prices_to_returns(pd.DataFrame(prices, columns=assets))
    cv = WalkForward(train_size=train, test_size=test, expand_train=expanding, purged_size=purge)
    splits = [(tr, te) for tr, te in cv.split(x)]
    out = {"name": name, "assets": assets, "prices": prices.tolist(), "train": train, "test": test,
           "expanding": expanding, "purge": purge,
           "windows": [{"trainStart": int(tr[0]), "trainEnd": int(tr[-1]) + 1,
                        "testStart": int(te[0]), "testEnd": int(te[-1]) + 1} for tr, te in splits],
           "objectives": {}}
    for key, objective in OBJECTIVES.items():
        mpp = cross_val_predict(model(objective), x, cv=cv, portfolio_params=dict(compounded=True))
        loose = cross_val_predict(model(objective, tight=False), x, cv=cv)
        weights = [p.weights.tolist() for p in mpp.portfolios]
        drift = max(float(np.max(np.abs(a.weights - b.weights))) for a, b in zip(mpp.portfolios, loose.portfolios))
        polished = [polish(p.weights, x.to_numpy()[tr], key == "maximumSharpe") for p, (tr, _) in zip(mpp.portfolios, splits)]
        polished_returns = np.concatenate([x.to_numpy()[te] @ w for w, (_, te) in zip(polished, splits)])
        gap = max(float(np.max(np.abs(a - p.weights))) for a, p in zip(polished, mpp.portfolios))
        out["objectives"][key] = {"weights": weights, "returns": mpp.returns.tolist(), **metrics(mpp),
                                  "polishedWeights": [w.tolist() for w in polished],
                                  "polishedReturns": polished_returns.tolist(),
                                  "defaultToleranceWeightDifference": drift}
        print(f"{name} {key}: {len(weights)} windows, {len(mpp.returns)} returns, "
              f"Sharpe {mpp.annualized_sharpe_ratio:.4f}, skfolio vs polished {gap:.2e}, default-tolerance drift {drift:.2e}")
    return out


def cpcv_case(prices, assets, n_folds, n_test_folds, purge, embargo):
    x = prices_to_returns(pd.DataFrame(prices, columns=assets))
    cv = CombinatorialPurgedCV(n_folds=n_folds, n_test_folds=n_test_folds, purged_size=purge, embargo_size=embargo)
    splits = [{"train": tr.tolist(), "testFolds": [int(f[0]) for f in te]} for tr, te in cv.split(x)]
    fold_bounds = []
    size = len(x) // n_folds
    for f in range(n_folds):
        fold_bounds.append([f * size, len(x) if f == n_folds - 1 else (f + 1) * size])
    population = cross_val_predict(model(ObjectiveFunction.MINIMIZE_RISK), x, cv=cv)
    assert isinstance(population, Population)
    split_list = list(cv.split(x))
    x_np = x.to_numpy()
    polished = [None] * len(split_list)
    paths = []
    for p, mpp in enumerate(population):
        ws = []
        for fold, portfolio in enumerate(mpp.portfolios):
            s = cv.recombined_paths[fold][p]
            if polished[s] is None:
                polished[s] = polish(portfolio.weights, x_np[split_list[s][0]], False)
            ws.append(polished[s])
        fold_rows = [x_np[np.minimum(np.arange(len(x)) // (len(x) // n_folds), n_folds - 1) == f] for f in range(n_folds)]
        paths.append({"returns": mpp.returns.tolist(), "weights": [pt.weights.tolist() for pt in mpp.portfolios],
                      "polishedWeights": [w.tolist() for w in ws],
                      "polishedReturns": np.concatenate([rows @ w for rows, w in zip(fold_rows, ws)]).tolist()})
    print(f"cpcv: {len(splits)} splits, {len(paths)} paths of {len(paths[0]['returns'])} returns")
    # Convert skfolio's first-observation fold ids to fold numbers.
    for s in splits:
        s["testFolds"] = [int(np.minimum(i // size, n_folds - 1)) for i in s["testFolds"]]
    return {"assets": assets, "prices": prices.tolist(), "folds": n_folds, "testFolds": n_test_folds,
            "purge": purge, "embargo": embargo, "foldBounds": fold_bounds, "splits": splits,
            "recombinedPaths": cv.recombined_paths.tolist(), "paths": paths}


def bundled_prices(n=20, days=757):
    """The last `days` dates of Examples/Data/prices.csv, its first n columns with an annual
    volatility above 10% (the bond and money-market funds would make minimum variance a
    near-cash portfolio)."""
    frame = pd.read_csv(os.path.join(ROOT, "Examples", "Data", "prices.csv"), index_col=0).iloc[-days:]
    volatility = frame.pct_change().dropna().std() * np.sqrt(252)
    columns = [c for c in frame.columns if volatility[c] > 0.10][:n]
    return frame[columns].to_numpy(dtype=float), columns


def main():
    warnings.simplefilter("ignore")
    synthetic = synthetic_prices(20, 757, 20261203)
    names = [f"S{i:02d}" for i in range(20)]
    bundled, bundled_names = bundled_prices()
    small = synthetic_prices(6, 401, 7)
    document = {
        "generator": "Scripts/golden/walk_forward.py (skfolio 1.12.2)",
        "walkForward": [
            walk_forward_case("synthetic rolling 252/63", synthetic, names, 252, 63),
            walk_forward_case("synthetic expanding 252/63 purge 2", synthetic, names, 252, 63, expanding=True, purge=2),
            walk_forward_case("bundled prices rolling 252/63", bundled, bundled_names, 252, 63),
        ],
        "cpcv": cpcv_case(small, [f"C{i}" for i in range(6)], 6, 2, 5, 3),
    }
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, separators=(",", ":"))
    os.replace(tmp, OUT)
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
