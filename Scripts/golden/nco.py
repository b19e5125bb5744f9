#!/usr/bin/env python3
"""Golden values for Folio's nested clustered optimization (issue 18) against skfolio's
`NestedClustersOptimization` with its defaults (Clarabel's tolerances tightened, below): Pearson distance, Ward hierarchical clustering
with the gap-statistic cluster count (or a given one), `MeanRisk()` (long-only, fully invested
minimum variance, solved by Clarabel) inside and between the clusters.

Two outer covariances, as in skfolio:
- `cv="ignore"`: the cluster portfolios' in-sample covariance (Folio `allocate(covariance:)`);
- the default `cv=None` (`KFold(5)`, no shuffle): out-of-sample cluster returns (Folio
  `allocate(returns:folds:)`).

Run with:  python3 Scripts/golden/nco.py
Packages (pip) it was run with: numpy 2.4.6, scipy 1.17.1, skfolio 1.12.2, clarabel.

Writes Tests/FolioOptimizationTests/Fixtures/nco.json (returns per period, rounded to 1e-8
before fitting; the test computes the sample covariance and correlation from them).
"""
import json
import os
import warnings

import numpy as np

warnings.filterwarnings("ignore")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "nco.json")


# Clarabel's default gaps (1e-8) are loose against a per-period variance of about 1e-5: the
# weights would agree to 1e-4 only. Tight tolerances make skfolio's answer exact to ~1e-9.
TIGHT = {"tol_gap_abs": 1e-13, "tol_gap_rel": 1e-13, "tol_feas": 1e-13, "tol_ktratio": 1e-10, "max_iter": 500}


def exact_minimum_variance(covariance):
    """Long-only, fully invested minimum variance solved exactly by an active-set loop on the
    KKT system (numpy solves), independent of any QP solver: the reference the Swift test
    holds to 1e-9, where Clarabel's answer is only good to about 1e-6."""
    n = covariance.shape[0]
    support = list(range(n))
    for _ in range(10 * n + 10):
        m = len(support)
        kkt = np.zeros((m + 1, m + 1))
        kkt[:m, :m] = 2 * covariance[np.ix_(support, support)]
        kkt[:m, m] = -1
        kkt[m, :m] = 1
        rhs = np.zeros(m + 1)
        rhs[m] = 1
        solution = np.linalg.solve(kkt, rhs)
        w_support, level = solution[:m], solution[m]
        if (w_support < 0).any():
            support.pop(int(np.argmin(w_support)))
            continue
        w = np.zeros(n)
        w[support] = w_support
        gradient = 2 * covariance @ w - level
        outside = [i for i in range(n) if i not in support]
        if outside and gradient[outside].min() < -1e-15:
            support.append(outside[int(np.argmin(gradient[outside]))])
            support.sort()
            continue
        return w
    raise RuntimeError("active set did not settle")


def exact_nco(returns, labels, folds):
    """The NCO pipeline on skfolio's clusters with exact minimum-variance solves; `folds=None`
    for the in-sample outer covariance, else scikit-learn's KFold(folds) without shuffling."""
    t, n = returns.shape
    clusters = [np.flatnonzero(labels == c) for c in range(labels.max() + 1)]

    def inner(rows):
        covariance = np.cov(returns[rows], rowvar=False)
        weights = np.zeros((len(clusters), n))
        for c, items in enumerate(clusters):
            if len(items) == 1:
                weights[c, items[0]] = 1
            else:
                weights[c, items] = exact_minimum_variance(covariance[np.ix_(items, items)])
        return weights

    full = inner(np.arange(t))
    if folds is None:
        predicted = returns @ full.T
    else:
        predicted = np.zeros((t, len(clusters)))
        start = 0
        for fold in range(folds):
            size = t // folds + (1 if fold < t % folds else 0)
            test = np.arange(start, start + size)
            train = np.setdiff1d(np.arange(t), test)
            predicted[test] = returns[test] @ inner(train).T
            start += size
    outer = exact_minimum_variance(np.cov(predicted, rowvar=False))
    return (outer @ full).tolist()


def main():
    from skfolio.cluster import HierarchicalClustering
    from skfolio.optimization import MeanRisk, NestedClustersOptimization

    cases = []
    for seed, n, t, k in [(1, 12, 250, None), (2, 30, 400, None), (3, 40, 400, 4), (4, 60, 500, None)]:
        rng = np.random.default_rng(7300 + seed)
        factors = rng.normal(scale=0.01, size=(t, 5))
        loadings = rng.normal(size=(5, n)) * (rng.random((5, n)) < 0.5)
        # Rounded to 1e-8 before fitting, so the fixture holds exactly the inputs skfolio saw.
        returns = np.round(factors @ loadings + rng.normal(scale=0.008, size=(t, n)) + 0.0003, 8)
        clustering = HierarchicalClustering(max_clusters=k)
        case = {"seed": seed, "count": n, "observations": t, "clusterCount": k, "returns": returns.tolist()}
        for name, cv in [("inSample", "ignore"), ("kFold", None)]:
            model = NestedClustersOptimization(
                inner_estimator=MeanRisk(solver_params=TIGHT), outer_estimator=MeanRisk(solver_params=TIGHT),
                clustering_estimator=clustering, cv=cv)
            model.fit(returns)
            labels = model.clustering_estimator_.labels_
            case[name] = {
                "weights": model.weights_.tolist(),
                "exactWeights": exact_nco(returns, labels, None if cv == "ignore" else 5),
                "labels": model.clustering_estimator_.labels_.tolist(),
                "outerWeights": model.outer_estimator_.weights_.tolist(),
            }
        cases.append(case)
    with open(OUT, "w") as f:
        json.dump({"cases": cases}, f)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
