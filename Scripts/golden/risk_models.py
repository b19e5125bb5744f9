#!/usr/bin/env python3
"""Golden values for FolioRisk, from independent implementations.

Run with:  /work/pyenv/bin/python Scripts/golden/risk_models.py
Writes:    Tests/FolioRiskTests/Fixtures/risk_<name>.json

Generated with (pip): numpy 2.4.6, pandas 3.1.1, scipy 1.17.1, scikit-learn 1.9.1,
pyportfolioopt 1.6.0, skfolio 1.12.2.

Data sets are seeded: N=20 assets over T=500 daily returns, and N=100 over T=60 (more assets
than observations). Prices are 100 * cumulative product of (1 + simulated returns) with a
factor structure; the fixture stores prices, and every value below is computed from them the
way each library computes it (PyPortfolioOpt from prices; scikit-learn and skfolio from
pandas `pct_change` returns).
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
import scipy.stats
import sklearn.covariance as skc
from pypfopt import black_litterman, expected_returns, risk_models
from skfolio.moments import DenoiseCovariance, DetoneCovariance, EmpiricalCovariance
from skfolio.utils.stats import cov_nearest
import skfolio.measures as skm

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioRiskTests", "Fixtures")


def simulate(n, t, seed):
    rng = np.random.default_rng(seed)
    market = rng.standard_normal(t + 1) * 0.18 / np.sqrt(252)
    sectors = rng.standard_normal((t + 1, 5)) * 0.10 / np.sqrt(252)
    beta = rng.uniform(0.5, 1.5, n)
    sector = rng.integers(0, 5, n)
    idio = rng.uniform(0.10, 0.40, n) / np.sqrt(252)
    drift = rng.uniform(0.0, 0.15, n) / 252
    r = drift + market[:, None] * beta + sectors[:, sector] + rng.standard_normal((t + 1, n)) * idio
    r[0] = 0.0
    prices = 100.0 * np.cumprod(1.0 + r, axis=0) * rng.uniform(0.5, 3.0, n)
    mkt = 1000.0 * np.cumprod(1.0 + 0.5 * market + 0.0010)
    dates = pd.bdate_range("2020-01-01", periods=t + 1)
    assets = [f"A{i:03d}" for i in range(n)]
    caps = rng.uniform(1e9, 5e10, n)
    weights = rng.uniform(0.0, 1.0, n)
    weights /= weights.sum()
    bench = np.full(n, 1.0 / n)
    return (pd.DataFrame(prices, index=dates, columns=assets), pd.Series(mkt, index=dates, name="mkt"),
            caps, weights, bench)


def m(a):
    return np.asarray(a, dtype=float).tolist()


def sym(a):
    """A symmetric matrix as its lower triangle, column by column (packed storage)."""
    a = np.asarray(a, dtype=float)
    assert np.allclose(a, a.T, rtol=0, atol=1e-12 * np.abs(a).max())
    return [float(a[i, j]) for j in range(a.shape[0]) for i in range(j, a.shape[0])]


def skfolio_mp_fit(X):
    """skfolio DenoiseCovariance's Marcenko-Pastur fit, repeated to record the fitted
    variance and the number of factors it kept (skfolio does not expose them)."""
    import scipy.optimize as sco
    import sklearn.neighbors as skn
    t, n = X.shape
    q = t / n
    cov = np.cov(X, rowvar=False)
    std = np.sqrt(np.diag(cov))
    corr = cov / np.outer(std, std)
    np.fill_diagonal(corr, 1.0)
    e_val = np.sort(np.linalg.eigvalsh(corr))[::-1]

    def marchenko(x):
        v = x[0]
        lo, hi = v * (1 - (1.0 / q) ** 0.5) ** 2, v * (1 + (1.0 / q) ** 0.5) ** 2
        grid = np.linspace(lo, hi, 1000)
        pdf0 = q / (2 * np.pi * v * grid) * ((hi - grid) * (grid - lo)) ** 0.5
        kde = skn.KernelDensity(kernel="gaussian", bandwidth=0.01).fit(e_val.reshape(-1, 1))
        pdf1 = np.exp(kde.score_samples(grid.reshape(-1, 1)))
        return np.sum((pdf1 - pdf0) ** 2)

    var = sco.minimize(marchenko, x0=0.5, bounds=((1e-5, 1 - 1e-5),))["x"][0]
    k = e_val.shape[0] - e_val[::-1].searchsorted(var * (1 + (1.0 / q) ** 0.5) ** 2)
    grid = np.linspace(1e-5, 1 - 1e-5, 2000)
    return float(var), int(k), [float(marchenko([g])) for g in (0.25, 0.5, 0.75)]


def golden(name, n, t, seed):
    prices, market, caps, w, bench = simulate(n, t, seed)
    rets = prices.pct_change(fill_method=None).dropna(how="all")
    X = rets.values
    logrets = np.log(1 + prices.pct_change(fill_method=None)).dropna(how="all").values
    out = {
        "name": name,
        "assets": list(prices.columns),
        "dates": [d.strftime("%Y-%m-%d") for d in prices.index],
        "prices": m(prices.values),          # row-major T+1 x N
        "marketPrices": m(market.values),
        "returns": m(X),
        "logReturns": m(logrets),
        "marketCaps": m(caps),
        "weights": m(w),
        "benchmarkWeights": m(bench),
    }
    # --- covariance
    out["sampleUnbiased"] = sym(np.cov(X, rowvar=False))
    out["empiricalCovariance"] = sym(skc.empirical_covariance(X))
    out["pypfoptSampleCov"] = sym(risk_models.sample_cov(prices).values)
    lw = skc.LedoitWolf().fit(X)
    out["ledoitWolf"] = {"matrix": sym(lw.covariance_), "shrinkage": float(lw.shrinkage_)}
    out["pypfoptLedoitWolf"] = sym(risk_models.CovarianceShrinkage(prices).ledoit_wolf().values)
    oas = skc.OAS().fit(X)
    out["oas"] = {"matrix": sym(oas.covariance_), "shrinkage": float(oas.shrinkage_)}
    sh = skc.ShrunkCovariance(shrinkage=0.1).fit(X)
    out["shrunk01"] = sym(sh.covariance_)
    cs = risk_models.CovarianceShrinkage(prices)
    cc = cs.ledoit_wolf(shrinkage_target="constant_correlation")
    out["constantCorrelation"] = {"matrix": sym(cc.values), "shrinkage": float(cs.delta)}
    cs = risk_models.CovarianceShrinkage(prices)
    sf = cs.ledoit_wolf(shrinkage_target="single_factor")
    out["singleIndex"] = {"matrix": sym(sf.values), "shrinkage": float(cs.delta)}
    out["pypfoptShrunk02"] = sym(risk_models.CovarianceShrinkage(prices).shrunk_covariance(0.2).values)
    out["semicovariance"] = sym(risk_models.semicovariance(prices).values)
    out["semicovarianceZero"] = sym(risk_models.semicovariance(prices, benchmark=0.0, frequency=12).values)
    out["expCov180"] = sym(risk_models.exp_cov(prices).values)
    out["expCov60"] = sym(risk_models.exp_cov(prices, span=60).values)
    out["correlation"] = sym(risk_models.cov_to_corr(pd.DataFrame(np.cov(X, rowvar=False))).values)
    # --- denoising / detoning (skfolio), on the unbiased sample covariance
    dn = DenoiseCovariance(covariance_estimator=EmpiricalCovariance()).fit(X)
    out["denoised"] = sym(dn.covariance_)
    dt = DetoneCovariance(covariance_estimator=EmpiricalCovariance(), nearest=False).fit(X)
    out["detoned"] = sym(dt.covariance_)
    var, k, probes = skfolio_mp_fit(X)
    out["denoisedVariance"], out["denoisedFactors"], out["marchenkoObjective"] = var, k, probes
    cov = np.cov(X, rowvar=False)
    std = np.sqrt(np.diag(cov))
    corr = cov / np.outer(std, std)
    # --- nearest positive definite (skfolio cov_nearest) on a broken covariance
    rng = np.random.default_rng(seed + 1)
    noise = rng.uniform(-0.35, 0.35, (n, n))
    noise = (noise + noise.T) / 2
    np.fill_diagonal(noise, 0)
    bad_corr = np.clip(corr + noise, -0.99, 0.99)
    np.fill_diagonal(bad_corr, 1.0)
    bad = bad_corr * np.outer(std, std)
    bad = (bad + bad.T) / 2
    out["notPD"] = sym(bad)
    out["notPDMinEigenvalue"] = float(np.linalg.eigvalsh(bad)[0])
    out["nearestClipping"] = sym(cov_nearest(bad, higham=False))
    out["nearestHigham"] = sym(cov_nearest(bad, higham=True, higham_max_iteration=1000))
    # --- expected returns (PyPortfolioOpt)
    out["meanHistoricalCompounded"] = m(expected_returns.mean_historical_return(prices).values)
    out["meanHistoricalArithmetic"] = m(expected_returns.mean_historical_return(prices, compounding=False).values)
    out["emaCompounded"] = m(expected_returns.ema_historical_return(prices).values)
    out["emaArithmetic60"] = m(expected_returns.ema_historical_return(prices, compounding=False, span=60).values)
    out["capmEqualWeight"] = m(expected_returns.capm_return(prices).values)
    out["capmEqualWeightArithmetic"] = m(expected_returns.capm_return(prices, compounding=False, risk_free_rate=0.02).values)
    out["capmMarket"] = m(expected_returns.capm_return(prices, market_prices=market.to_frame(), risk_free_rate=0.01).values)
    # --- Black-Litterman (PyPortfolioOpt), on the annualized sample covariance
    S = risk_models.sample_cov(prices)
    delta = black_litterman.market_implied_risk_aversion(market, risk_free_rate=0.02)
    out["impliedRiskAversion"] = float(delta)
    prior = black_litterman.market_implied_prior_returns(pd.Series(caps, index=prices.columns), delta, S, risk_free_rate=0.02)
    out["impliedPrior"] = m(prior.values)
    assets = list(prices.columns)
    views = {assets[0]: 0.10, assets[3]: -0.05, assets[7]: 0.20}
    bl = black_litterman.BlackLittermanModel(S, pi=prior, absolute_views=views, tau=0.05, risk_aversion=delta)
    out["blAbsolute"] = {
        "views": views, "omega": m(np.diag(bl.omega)),
        "returns": m(bl.bl_returns().values), "covariance": sym(bl.bl_cov().values),
        "weights": m(np.array(list(bl.bl_weights().values()))),
    }
    # relative views: A001 beats A002 by 3%; (A004 + A005)/2 - A006 = 1%; absolute A009 = 8%
    P = np.zeros((3, n))
    P[0, 1], P[0, 2] = 1, -1
    P[1, 4], P[1, 5], P[1, 6] = 0.5, 0.5, -1
    P[2, 9] = 1
    Q = np.array([0.03, 0.01, 0.08])
    conf = [0.6, 0.3, 0.9]
    bl2 = black_litterman.BlackLittermanModel(S, pi=prior, Q=Q, P=P, omega="idzorek", view_confidences=conf,
                                              tau=0.025, risk_aversion=delta)
    out["blIdzorek"] = {
        "P": m(P), "Q": m(Q), "confidences": conf, "tau": 0.025, "omega": m(np.diag(bl2.omega)),
        "returns": m(bl2.bl_returns().values), "covariance": sym(bl2.bl_cov().values),
        "weights": m(np.array(list(bl2.bl_weights().values()))),
    }
    # --- portfolio risk metrics
    Sd = np.cov(X, rowvar=False)
    sigma = float(np.sqrt(w @ Sd @ w))
    mrc = Sd @ w / sigma
    out["volatility"] = sigma
    out["marginalRisk"] = m(mrc)
    out["absoluteRisk"] = m(w * mrc)
    out["percentRisk"] = m(w * mrc / sigma)
    pr = X @ w
    out["portfolioReturns"] = m(pr)
    out["historicalVaR95"] = float(skm.value_at_risk(pr, beta=0.95))
    out["historicalCVaR95"] = float(skm.cvar(pr, beta=0.95))
    out["historicalVaR99"] = float(skm.value_at_risk(pr, beta=0.99))
    out["historicalCVaR99"] = float(skm.cvar(pr, beta=0.99))
    mu_p, sd_p = float(pr.mean()), float(pr.std(ddof=1))
    z = scipy.stats.norm.ppf(0.05)
    out["gaussianVaR95"] = float(-(mu_p + z * sd_p))
    out["gaussianCVaR95"] = float(-mu_p + sd_p * scipy.stats.norm.pdf(z) / 0.05)
    out["maxDrawdown"] = float(skm.max_drawdown(skm.get_drawdowns(pr, compounded=True)))
    rf = 0.02
    out["sharpe"] = float((mu_p - rf / 252) / sd_p * np.sqrt(252))
    out["sortino"] = float((mu_p - rf / 252) / skm.semi_deviation(pr, min_acceptable_return=0.0) * np.sqrt(252))
    d = w - bench
    out["trackingErrorExAnte"] = float(np.sqrt(d @ Sd @ d * 252))
    out["trackingErrorExPost"] = float(np.std(X @ d, ddof=1) * np.sqrt(252))
    return out


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, n, t, seed in [("n20_t500", 20, 500, 7), ("n100_t60", 100, 60, 11)]:
        data = golden(name, n, t, seed)
        if n > 50:  # keep the fixture small: drop variants already covered by the first set
            for key in ["pypfoptShrunk02", "semicovarianceZero", "expCov60", "logReturns", "empiricalCovariance"]:
                del data[key]
        with open(os.path.join(OUT, f"risk_{name}.json"), "w") as f:
            json.dump(data, f, separators=(",", ":"))
        print(name, "delta", data["impliedRiskAversion"], "MP var", data["denoisedVariance"], "factors:", data["denoisedFactors"], "LW", data["ledoitWolf"]["shrinkage"],
              "OAS", data["oas"]["shrinkage"], "CC", data["constantCorrelation"]["shrinkage"],
              "SI", data["singleIndex"]["shrinkage"])
