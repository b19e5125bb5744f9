#!/usr/bin/env python3
"""Golden values for Folio's factor risk models and factor minimum variance (issue 18).

- Time-series regression: skfolio `TimeSeriesFactorModel` with
  `LoadingMatrixRegression(linear_regressor=LinearRegression())` (OLS with intercepts): the
  loadings, the asset covariance `B F Bᵀ + D`, per period.
- Statistical (principal components): numpy `eigh` of `np.cov`, K leading components; the
  model's covariance (invariant to the eigenvectors' signs) and specific variances.
- Minimum variance, long-only, weights at most `maximumWeight`, on the regression model's
  covariance: cvxpy with Clarabel, tolerances tightened.

Run with:  python3 Scripts/golden/factor_model.py
Packages (pip) it was run with: numpy 2.4.6, scikit-learn 1.9.1, skfolio 1.12.2, cvxpy 1.9.3,
clarabel.

Writes Tests/FolioOptimizationTests/Fixtures/factor_model.json (returns rounded to 1e-8 before
fitting, so the fixture holds exactly the inputs the peers saw).
"""
import json
import os
import warnings

import numpy as np

warnings.filterwarnings("ignore")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "factor_model.json")
TIGHT = {"tol_gap_abs": 1e-13, "tol_gap_rel": 1e-13, "tol_feas": 1e-13, "tol_ktratio": 1e-10, "max_iter": 500}


def main():
    from sklearn.linear_model import LinearRegression
    import cvxpy as cp
    from skfolio.prior import TimeSeriesFactorModel
    from skfolio.prior._time_series_factor_model import LoadingMatrixRegression

    def regression_prior():
        return TimeSeriesFactorModel(loading_matrix_estimator=LoadingMatrixRegression(linear_regressor=LinearRegression()))

    cases = []
    for seed, n, t, k, pcs, cap in [(1, 12, 250, 2, 2, 1.0), (2, 40, 500, 4, 5, 0.08), (3, 60, 400, 3, 4, 0.05)]:
        rng = np.random.default_rng(7400 + seed)
        factors = np.round(rng.normal(0.0003, 0.01, size=(t, k)), 8)
        loadings = rng.normal(0.8, 0.5, size=(k, n))
        returns = np.round(factors @ loadings + rng.normal(scale=rng.uniform(0.004, 0.015, size=n), size=(t, n)), 8)
        prior = regression_prior().fit(returns, factors=factors)
        lm = prior.loading_matrix_estimator_
        sample = np.cov(returns, rowvar=False)
        values, vectors = np.linalg.eigh(sample)
        top = np.argsort(values)[::-1][:pcs]
        b = vectors[:, top]
        statistical = b @ np.diag(values[top]) @ b.T
        specific = np.maximum(np.diag(sample) - np.diag(statistical), 0)
        statistical[np.diag_indices(n)] += specific
        sigma = prior.return_distribution_.covariance
        w = cp.Variable(n)
        problem = cp.Problem(cp.Minimize(cp.quad_form(w, cp.psd_wrap(sigma))), [cp.sum(w) == 1, w >= 0, w <= cap])
        problem.solve(solver=cp.CLARABEL, **TIGHT)
        cases.append({
            "seed": seed, "assets": n, "observations": t, "factors": k, "components": pcs, "maximumWeight": cap,
            "returns": returns.tolist(), "factorReturns": factors.tolist(),
            "regression": {"loadings": lm.loading_matrix_.tolist(), "covariance": prior.return_distribution_.covariance.tolist()},
            "statistical": {"covariance": statistical.tolist(), "specificVariances": specific.tolist(),
                            "eigenvalues": values[top].tolist()},
            "minimumVarianceWeights": w.value.tolist(),
        })
    with open(OUT, "w") as f:
        json.dump({"cases": cases}, f)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
