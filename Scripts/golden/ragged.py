#!/usr/bin/env python3
"""Golden values for ragged price histories (assets with different histories), from pandas,
PyPortfolioOpt and skfolio.

Run with:  python3 Scripts/golden/ragged.py
Writes:    Tests/FolioRiskTests/Fixtures/ragged_universe.json
           Tests/FolioRiskTests/Fixtures/ragged_indefinite.json
           Examples/Data/prices-ragged.csv (the universe as a wide prices file, for the CLI)

Generated with (pip): numpy, pandas 3.1.1, scikit-learn 1.9.1, pyportfolioopt 1.6.0,
skfolio 1.12.2.

The universe: weekly prices 2004-2016 of seven assets that list years apart. AAA and BBB
trade throughout; CCC lists in 2008; DDD in 2014; EEE stops in June 2016; FFF has a ten-week halt
in 2010 and one missing price in 2012; GGG lists in 2016. PyPortfolioOpt reads the prices
as a DataFrame with NaN, so every value below is its (and pandas') own convention on ragged
data: returns by `pct_change(fill_method=None).dropna(how="all")`, the pairwise-complete
`DataFrame.cov`, per-asset means over each asset's own history, `np.nan_to_num` before the
Ledoit-Wolf and OAS estimators.

The second set has three assets observed two at a time in three windows, with correlations
chosen so that the pairwise covariance is indefinite; skfolio `cov_nearest` gives the
repaired matrix Folio's repair must match.
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
from pypfopt import expected_returns, risk_models
from skfolio.utils.stats import cov_nearest

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioRiskTests", "Fixtures")
CLI_OUT = os.path.join(ROOT, "Examples", "Data")
F = 52


def m(a):
    """A list (or nested list) with NaN as None (JSON null)."""
    a = np.asarray(a, dtype=float)
    return [[None if np.isnan(v) else float(v) for v in row] for row in a] if a.ndim == 2 \
        else [None if np.isnan(v) else float(v) for v in a]


def sym(a):
    """A symmetric matrix as its lower triangle, column by column (packed storage)."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    return [float(a[i, j]) for j in range(n) for i in range(j, n)]


def universe(seed=1704):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2004-01-02", "2016-12-30", freq="W-FRI")
    t, n = len(dates), 7
    assets = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"]
    market = rng.standard_normal(t) * 0.18 / np.sqrt(F)
    beta = rng.uniform(0.5, 1.5, n)
    idio = rng.uniform(0.10, 0.40, n) / np.sqrt(F)
    drift = rng.uniform(0.0, 0.15, n) / F
    r = drift + market[:, None] * beta + rng.standard_normal((t, n)) * idio
    r[0] = 0.0
    prices = pd.DataFrame(100.0 * np.cumprod(1.0 + r, axis=0) * rng.uniform(0.5, 3.0, n), index=dates, columns=assets)
    prices = prices.round(4)
    prices.loc[prices.index < "2008-03-07", "CCC"] = np.nan
    prices.loc[prices.index < "2014-06-06", "DDD"] = np.nan
    prices.loc[prices.index > "2016-06-24", "EEE"] = np.nan
    prices.loc[(prices.index >= "2010-04-02") & (prices.index < "2010-06-11"), "FFF"] = np.nan
    prices.loc[prices.index == "2012-08-03", "FFF"] = np.nan
    prices.loc[prices.index < "2016-02-05", "GGG"] = np.nan
    return prices


def indefinite(seed=17):
    """Three assets, two observed at a time: A,C anti-correlated in window 1, A,B and B,C
    strongly correlated in windows 2 and 3. The pairwise matrix cannot be a covariance."""
    rng = np.random.default_rng(seed)
    w = 60
    dates = pd.date_range("2020-01-03", periods=3 * w + 1, freq="W-FRI")
    r = np.full((3 * w + 1, 3), np.nan)
    z = rng.standard_normal((3 * w + 1, 2)) * 0.03
    common, other = z[:, 0], z[:, 1]
    win = [slice(1, w + 1), slice(w + 1, 2 * w + 1), slice(2 * w + 1, 3 * w + 1)]
    r[win[0], 0] = common[win[0]]; r[win[0], 2] = -common[win[0]] + 0.3 * other[win[0]]
    r[win[1], 0] = common[win[1]]; r[win[1], 1] = common[win[1]] + 0.3 * other[win[1]]
    r[win[2], 1] = common[win[2]]; r[win[2], 2] = common[win[2]] + 0.3 * other[win[2]]
    prices = np.full_like(r, np.nan)
    for j in range(3):
        level = 100.0
        for i in range(3 * w + 1):
            if not np.isnan(r[i, j]):
                level *= 1 + r[i, j]
                prices[i, j] = level
            elif i + 1 < 3 * w + 1 and not np.isnan(r[i + 1, j]):
                prices[i, j] = level     # the price the next return starts from
    return pd.DataFrame(prices, index=dates, columns=["AAA", "BBB", "CCC"])


def main():
    prices = universe()
    returns = prices.pct_change(fill_method=None).dropna(how="all")
    out = {"assets": list(prices.columns), "frequency": F,
           "dates": [d.strftime("%Y-%m-%d") for d in prices.index],
           "prices": m(prices.values),
           "returnDates": [d.strftime("%Y-%m-%d") for d in returns.index],
           "returns": m(returns.values)}
    present = returns.notna()
    out["observations"] = [int(v) for v in returns.count().values]
    out["sharedObservations"] = sym((present.T.astype(int) @ present.astype(int)).values)
    out["firstPrice"] = [prices[c].first_valid_index().strftime("%Y-%m-%d") for c in prices.columns]
    out["lastPrice"] = [prices[c].last_valid_index().strftime("%Y-%m-%d") for c in prices.columns]
    out["firstReturn"] = [returns[c].first_valid_index().strftime("%Y-%m-%d") for c in prices.columns]
    out["lastReturn"] = [returns[c].last_valid_index().strftime("%Y-%m-%d") for c in prices.columns]
    # pandas: the pairwise-complete covariance, per period, unbiased. (With NaN present pandas
    # ignores `ddof` and always divides by n - 1; Folio's divisor-n form is checked in Swift.)
    pairwise = returns.cov()
    out["pandasCov"] = sym(pairwise.values)
    eig = np.linalg.eigvalsh(pairwise.values)
    assert eig[0] > 0, "the universe's pairwise covariance should be positive definite"
    out["pypfoptSampleCov"] = sym(risk_models.sample_cov(prices, frequency=F).values)
    # expected returns, each asset over its own history
    out["meanCompounded"] = m(expected_returns.mean_historical_return(prices, frequency=F).values)
    out["meanArithmetic"] = m(expected_returns.mean_historical_return(prices, compounding=False, frequency=F).values)
    out["meanLog"] = m(expected_returns.mean_historical_return(prices, compounding=False, log_returns=True, frequency=F).values)
    out["emaCompounded100"] = m(expected_returns.ema_historical_return(prices, span=100, frequency=F).values)
    out["emaArithmetic100"] = m(expected_returns.ema_historical_return(prices, compounding=False, span=100, frequency=F).values)
    out["capm"] = m(expected_returns.capm_return(prices, frequency=F).values)
    out["capmArithmetic"] = m(expected_returns.capm_return(prices, compounding=False, risk_free_rate=0.02, frequency=F).values)
    # covariance estimators on the same file
    out["expCov60"] = sym(risk_models.exp_cov(prices, span=60, frequency=F).values)
    out["semicovariance"] = sym(risk_models.semicovariance(prices, benchmark=0.0005, frequency=F).values)
    shrink = risk_models.CovarianceShrinkage(prices, frequency=F)
    out["shrunk02"] = sym(shrink.shrunk_covariance(0.2).values)
    for key, target in [("ledoitWolf", "constant_variance"), ("singleFactor", "single_factor"),
                        ("constantCorrelation", "constant_correlation")]:
        matrix = shrink.ledoit_wolf(target)
        out[key] = {"matrix": sym(matrix.values), "shrinkage": float(shrink.delta)}
    matrix = shrink.oracle_approximating()
    out["oas"] = {"matrix": sym(matrix.values), "shrinkage": float(shrink.delta)}
    for key in ["pypfoptSampleCov", "expCov60", "semicovariance", "shrunk02"]:
        packed = out[key]
        n = len(prices.columns)
        full = np.zeros((n, n))
        k = 0
        for j in range(n):
            for i in range(j, n):
                full[i, j] = full[j, i] = packed[k]
                k += 1
        assert np.linalg.eigvalsh(full)[0] > 0, key   # no spectral fix applied: Folio's repair is not involved
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ragged_universe.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    os.makedirs(CLI_OUT, exist_ok=True)
    prices.to_csv(os.path.join(CLI_OUT, "prices-ragged.csv"), index_label="date", na_rep="", float_format="%.4f")

    bad = indefinite()
    r3 = bad.pct_change(fill_method=None).dropna(how="all")
    cov3 = r3.cov().values * F
    eig3 = np.linalg.eigvalsh(cov3)
    assert eig3[0] < 0, "the three-window set should give an indefinite pairwise covariance"
    nearest = cov_nearest(cov3, higham=False)
    indefinite_out = {"assets": list(bad.columns), "frequency": F,
                      "dates": [d.strftime("%Y-%m-%d") for d in bad.index], "prices": m(bad.values),
                      "pairwiseAnnual": sym(cov3), "smallestEigenvalue": float(eig3[0]),
                      "nearestClipping": sym(nearest),
                      "frobeniusDistance": float(np.linalg.norm(nearest - cov3, "fro"))}
    with open(os.path.join(OUT, "ragged_indefinite.json"), "w") as f:
        json.dump(indefinite_out, f, separators=(",", ":"))
    print("universe rows", len(prices), "returns", len(returns), "obs", out["observations"],
          "LW", out["ledoitWolf"]["shrinkage"], "CC", out["constantCorrelation"]["shrinkage"],
          "OAS", out["oas"]["shrinkage"], "SF", out["singleFactor"]["shrinkage"])
    print("indefinite: smallest eigenvalue", eig3[0], "distance", indefinite_out["frobeniusDistance"])


if __name__ == "__main__":
    main()
