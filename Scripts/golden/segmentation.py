#!/usr/bin/env python3
"""Golden values for Folio's book segmentation (FolioPlanning: FeatureScaler, KMeans,
GaussianMixture, Silhouette, PrincipalComponents).

Run with: python3 Scripts/golden/segmentation.py
Packages: scikit-learn 1.9.1, numpy 2.4.6.

Data: synthetic client features (seeded numpy), a few elongated, overlapping groups on
features of different scales (age, income, scores, shares), so that scaling matters and
Lloyd needs several iterations.

- StandardScaler and RobustScaler: centres and scales.
- KMeans(init=<k-means++ centres from sklearn's kmeans_plusplus>, n_init=1, tol=0,
  algorithm="lloyd", max_iter=300) on the standardised features: with tol=0 both sides stop
  when the labels stop changing, so the labels, inertia, centres and iteration count must
  agree (inertia to 1e-10 relative).
- GaussianMixture(covariance_type="full", weights_init, means_init, precisions_init from the
  k-means groups, tol=0, max_iter=25, reg_covar=1e-6): with tol=0 both sides run exactly 25
  EM iterations; weights, means, covariances to 1e-8, score (mean log-likelihood) and BIC.
- silhouette_score and silhouette_samples (Euclidean) on the k-means labels, to 1e-12.
- PCA(2) of the standardised features: explained variance ratios, components up to sign.

Writes Tests/FolioPlanningTests/Fixtures/segmentation_golden.json.
"""
import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_samples, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import RobustScaler, StandardScaler

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/FolioPlanningTests/Fixtures/segmentation_golden.json"


def book(seed, n, d, groups):
    rng = np.random.default_rng(seed)
    scales = np.array([10.0, 50_000.0, 15.0, 0.2, 1.0, 300_000.0, 5.0, 0.05, 2.0, 0.5])[:d]
    centres = rng.normal(0.0, 1.6, size=(groups, d))
    sizes = rng.multinomial(n, rng.dirichlet(np.full(groups, 3.0)))
    rows = []
    for g, size in enumerate(sizes):
        mixing = rng.normal(0.0, 0.6, size=(d, d)) + np.eye(d)
        rows.append(centres[g] + rng.normal(size=(size, d)) @ mixing.T * 0.8)
    x = np.vstack(rows)
    x = x[rng.permutation(n)]
    return x * scales + scales * 3.0


def case(name, seed, n, d, k, mixture_k):
    raw = book(seed, n, d, groups=k)
    standard = StandardScaler().fit(raw)
    robust = RobustScaler().fit(raw)
    x = standard.transform(raw)
    centres, _ = kmeans_plusplus(x, n_clusters=k, random_state=seed)
    km = KMeans(n_clusters=k, init=centres, n_init=1, tol=0.0, max_iter=300, algorithm="lloyd").fit(x)
    labels = km.labels_
    # Mixture start: the k-means groups of a mixture_k run.
    mk_centres, _ = kmeans_plusplus(x, n_clusters=mixture_k, random_state=seed + 1)
    mk = KMeans(n_clusters=mixture_k, init=mk_centres, n_init=1, tol=0.0, algorithm="lloyd").fit(x)
    weights, means, covs = [], [], []
    for c in range(mixture_k):
        members = x[mk.labels_ == c]
        weights.append(len(members) / len(x))
        means.append(members.mean(axis=0))
        covs.append(np.cov(members, rowvar=False, bias=True) + 1e-6 * np.eye(d))
    precisions = [np.linalg.inv(c) for c in covs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(n_components=mixture_k, covariance_type="full", tol=0.0, max_iter=25,
                             reg_covar=1e-6, weights_init=np.array(weights), means_init=np.array(means),
                             precisions_init=np.array(precisions)).fit(x)
    pca = PCA(n_components=2).fit(x)
    return {
        "name": name,
        "featureCount": d,
        "raw": raw.tolist(),
        "standardCentres": standard.mean_.tolist(),
        "standardScales": standard.scale_.tolist(),
        "robustCentres": robust.center_.tolist(),
        "robustScales": robust.scale_.tolist(),
        "kmeans": {
            "k": k,
            "initialCentres": centres.tolist(),
            "labels": labels.tolist(),
            "inertia": float(km.inertia_),
            "centres": km.cluster_centers_.tolist(),
            "iterations": int(km.n_iter_),
        },
        "silhouette": float(silhouette_score(x, labels)),
        "silhouetteSamples": silhouette_samples(x, labels)[:50].tolist(),
        "mixture": {
            "k": mixture_k,
            "maximumIterations": 25,
            "initialWeights": weights,
            "initialMeans": [m.tolist() for m in means],
            "initialCovariances": [c.tolist() for c in covs],
            "weights": gm.weights_.tolist(),
            "means": gm.means_.tolist(),
            "covariances": gm.covariances_.tolist(),
            "score": float(gm.score(x)),
            "bic": float(gm.bic(x)),
            "labels": gm.predict(x).tolist(),
            "iterations": int(gm.n_iter_),
        },
        "pca": {
            "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
            "components": pca.components_.tolist(),
        },
    }


def main():
    cases = [
        case("small", 11, 400, 5, 4, 3),
        case("book", 23, 1500, 8, 6, 5),
        case("overlapping", 37, 900, 10, 8, 4),
    ]
    payload = {"generator": "Scripts/golden/segmentation.py", "sklearn": sklearn.__version__,
               "numpy": np.__version__, "cases": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload) + "\n")
    for c in cases:
        print(c["name"], "kmeans iterations", c["kmeans"]["iterations"], "inertia", c["kmeans"]["inertia"],
              "silhouette", round(c["silhouette"], 4), "gmm score", round(c["mixture"]["score"], 4))


if __name__ == "__main__":
    main()
