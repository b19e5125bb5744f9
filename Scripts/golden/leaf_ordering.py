#!/usr/bin/env python3
"""Golden values for Folio's optimal leaf ordering (issue 18: HRP with skfolio's default
seriation).

SciPy's `optimal_leaf_ordering` is not always optimal: its result can cost more than another
order the same tree allows (scipy/scipy issue 11227, open). So the fixture also holds, for
trees of at most 12 leaves, the brute-force optimum over all 2^(N−1) flips, and the Swift
test asks Folio's order to cost no more than SciPy's everywhere and exactly the brute-force
optimum where it is known; it counts the trees where Folio's is strictly cheaper.

For HRP, skfolio's default (Ward linkage, SciPy's optimal leaf ordering, recursive halving)
is written with its asset order, so the test can check the bisection on skfolio's own order
to 1e-10 and compare the orders' costs.

Run with:  python3 Scripts/golden/leaf_ordering.py
Packages (pip) it was run with: numpy 2.4.6, scipy 1.17.1, skfolio 1.12.2.

For seeded point clouds (some in tight groups, so that orders differ a lot), every linkage
SciPy and Folio share: the condensed Euclidean distances, SciPy's linkage matrix, the matrix
`scipy.cluster.hierarchy.optimal_leaf_ordering` returns, its `leaves_list` and the order's
cost (sum of distances between neighbouring leaves). The Swift test builds Folio's
`Dendrogram` from SciPy's linkage matrix (so only the reordering is compared), reorders it,
and checks the order (or its mirror image, which has the same cost), the cost and that every
merge keeps its height, size and children.

Writes Tests/FolioOptimizationTests/Fixtures/leaf_ordering.json. Floats are written with
full double precision (JSON repr).
"""
import json
import os

import numpy as np
import scipy.cluster.hierarchy as sch
import scipy.spatial.distance as ssd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "FolioOptimizationTests", "Fixtures", "leaf_ordering.json")


def cost(order, d):
    return float(sum(d[a, b] for a, b in zip(order[:-1], order[1:])))


def brute_force(z, square):
    n = z.shape[0] + 1
    best = float("inf")
    for mask in range(1 << (n - 1)):
        flipped = z.copy()
        for k in range(n - 1):
            if mask >> k & 1:
                flipped[k, 0], flipped[k, 1] = z[k, 1], z[k, 0]
        best = min(best, cost(sch.leaves_list(flipped).tolist(), square))
    return best


def hrp_cases():
    import pandas as pd
    from skfolio.optimization import HierarchicalRiskParity
    out = []
    for seed, n, t in [(1, 12, 300), (2, 30, 500), (3, 60, 800)]:
        rng = np.random.default_rng(7200 + seed)
        factors = rng.normal(scale=0.01, size=(t, 4))
        loadings = rng.normal(size=(4, n)) * (rng.random((4, n)) < 0.6)
        returns = factors @ loadings + rng.normal(scale=0.008, size=(t, n))
        model = HierarchicalRiskParity()
        model.fit(returns)
        covariance = model.prior_estimator_.return_distribution_.covariance
        correlation = np.corrcoef(returns.T)
        distance = np.sqrt(np.clip(0.5 * (1 - correlation), 0, 1))
        np.fill_diagonal(distance, 0)
        order = model.seriation_estimator_.ordering_.tolist()
        out.append({"seed": seed, "count": n, "covariance": covariance.tolist(), "correlation": correlation.tolist(),
                    "weights": model.weights_.tolist(), "order": order, "orderCost": cost(order, distance)})
    return out


def main():
    clouds = []
    for seed, n, groups in [(1, 3, 1), (2, 4, 2), (3, 7, 2), (4, 12, 3), (5, 25, 4), (6, 60, 5), (7, 120, 8)]:
        rng = np.random.default_rng(7100 + seed)
        centres = rng.normal(scale=4.0, size=(groups, 3))
        points = centres[rng.integers(0, groups, size=n)] + rng.normal(size=(n, 3))
        condensed = ssd.pdist(points)
        square = ssd.squareform(condensed)
        cases = []
        for method in ["single", "complete", "average", "weighted", "ward"]:
            z = sch.linkage(condensed, method=method)
            ordered = sch.optimal_leaf_ordering(z, condensed)
            leaves = sch.leaves_list(ordered).tolist()
            cases.append({
                "linkage": method,
                "linkageMatrix": z.tolist(),
                "orderedLinkageMatrix": ordered.tolist(),
                "order": leaves,
                "cost": cost(leaves, square),
                "treeCost": cost(sch.leaves_list(z).tolist(), square),
            })
            if n <= 12:
                cases[-1]["bruteForceCost"] = brute_force(z, square)
        clouds.append({"seed": seed, "count": n, "condensed": condensed.tolist(), "cases": cases})
    with open(OUT, "w") as f:
        json.dump({"clouds": clouds, "hrp": hrp_cases()}, f)
    print(f"wrote {OUT}: {sum(len(c['cases']) for c in clouds)} cases")


if __name__ == "__main__":
    main()
