#!/usr/bin/env python3
"""Folio's book segmentation against scikit-learn, side by side, same run, same inputs.

Workloads (100,000 clients x 20 standardised features, 8 groups; inputs written once as raw
little-endian float64 to .build-bench-inputs/, read by both sides):
  KMeans(init=centres, n_init=1, tol=1e-4, algorithm="lloyd")      vs Folio KMeans.fit(_:initialCentres:)
  KMeans(n_init=1, tol=1e-4) (its own k-means++ start)              vs Folio KMeans(restarts: 1).fit
  GaussianMixture(full, max_iter=20, tol=0, *_init from the inputs)  vs Folio GaussianMixture(20 iterations)

Both sides run in the same environment (this process's, unchanged: the same OpenBLAS
kernels; each side's BLAS is printed). Rounds interleave: peers, then Folio
(`swift package benchmark`, p50 wall clock), `--rounds` times; the table shows the median
over rounds of each side's median. scikit-learn's k-means uses its OpenMP threads (2 cores
here); Folio's Lloyd loop is single-threaded around multithreaded OpenBLAS products.

Usage:  python3 Scripts/compare/segmentation.py [--rounds 3] [--runs 5]
        python3 Scripts/compare/segmentation.py --write-inputs [--dir DIR]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DIR = os.path.join(ROOT, ".build-bench-inputs")
N, D, K = 100_000, 20, 8


def inputs(directory):
    rng = np.random.default_rng(20261203)
    centres = rng.normal(0, 2.0, size=(K, D))
    labels = rng.integers(0, K, N)
    x = centres[labels] + rng.normal(size=(N, D)) @ (np.eye(D) + rng.normal(0, 0.2, size=(D, D)))
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    start = x[rng.choice(N, K, replace=False)]
    weights = np.full(K, 1.0 / K)
    means = start.copy()
    covs = np.array([np.eye(D) * 1.5 for _ in range(K)])
    files = {f"clients_N{N}_D{D}.f64": x, f"centres_K{K}_D{D}.f64": start, f"gmm_weights_K{K}.f64": weights,
             f"gmm_means_K{K}_D{D}.f64": means, f"gmm_covariances_K{K}_D{D}.f64": covs}
    return files


def write_inputs(directory):
    os.makedirs(directory, exist_ok=True)
    for name, array in inputs(directory).items():
        np.ascontiguousarray(array, dtype="<f8").tofile(os.path.join(directory, name))


def load(directory):
    def read(name, shape):
        return np.fromfile(os.path.join(directory, name), dtype="<f8").reshape(shape)
    return (read(f"clients_N{N}_D{D}.f64", (N, D)), read(f"centres_K{K}_D{D}.f64", (K, D)),
            read(f"gmm_weights_K{K}.f64", (K,)), read(f"gmm_means_K{K}_D{D}.f64", (K, D)),
            read(f"gmm_covariances_K{K}_D{D}.f64", (K, D, D)))


def time_peers(directory, runs):
    import warnings
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture
    warnings.simplefilter("ignore", ConvergenceWarning)
    x, centres, weights, means, covs = load(directory)
    precisions = np.array([np.linalg.inv(c) for c in covs])
    info = {}
    peers = {
        "lloyd": lambda: KMeans(K, init=centres, n_init=1, tol=1e-4, algorithm="lloyd").fit(x),
        "kmeans++": lambda: KMeans(K, n_init=1, tol=1e-4, algorithm="lloyd", random_state=3).fit(x),
        "gmm": lambda: GaussianMixture(K, covariance_type="full", max_iter=20, tol=0, weights_init=weights,
                                       means_init=means, precisions_init=precisions).fit(x),
    }
    out = {}
    for name, f in peers.items():
        model = f()
        info[name] = int(model.n_iter_)
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            f()
            samples.append((time.perf_counter() - t0) * 1e3)
        out[name] = statistics.median(samples)
    out["_iterations"] = info
    try:
        from threadpoolctl import threadpool_info
        out["_blas"] = [(i.get("internal_api"), i.get("architecture"), i.get("num_threads")) for i in threadpool_info()]
    except Exception:
        out["_blas"] = []
    return out


def run_folio():
    cmd = ["swift", "package", "--disable-sandbox", "benchmark", "--target", "SegmentationBenchmarks",
           "--format", "markdown", "--no-progress"]
    res = subprocess.run(cmd, cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(res.stdout + res.stderr)
    times, current = {}, None
    for line in res.stdout.splitlines():
        header = re.match(r"^#+\s*(.+k=\d+)\s*$", line.strip())
        if header:
            current = header.group(1).strip()
        elif current and line.startswith("| Time (wall clock)"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            unit = re.search(r"\((\S+)\)\s*\*?$", cells[0])
            scale = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit.group(1)] if unit else 1.0
            times[current] = float(cells[3].replace(",", "")) * scale  # p50
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default=DEFAULT_DIR)
    parser.add_argument("--write-inputs", action="store_true")
    parser.add_argument("--peer-child", action="store_true")
    args = parser.parse_args()
    if args.write_inputs:
        write_inputs(args.dir)
        return
    if args.peer_child:
        print(json.dumps(time_peers(args.dir, args.runs)))
        return
    if not os.path.exists(os.path.join(args.dir, f"clients_N{N}_D{D}.f64")):
        write_inputs(args.dir)
    peer_rounds, folio_rounds = [], []
    for r in range(args.rounds):
        res = subprocess.run([sys.executable, os.path.abspath(__file__), "--peer-child", "--runs", str(args.runs),
                              "--dir", args.dir], capture_output=True, text=True, check=True)
        peer_rounds.append(json.loads(res.stdout.strip().splitlines()[-1]))
        folio_rounds.append(run_folio())
        print(f"... round {r + 1} done", file=sys.stderr)
    names = {"lloyd": f"k-means Lloyd from given centres n={N} d={D} k={K}",
             "kmeans++": f"k-means++ one start n={N} d={D} k={K}",
             "gmm": f"Gaussian mixture 20 EM iterations n={N} d={D} k={K}"}
    peers_label = {"lloyd": "KMeans(init=centres, n_init=1)", "kmeans++": "KMeans(n_init=1)",
                   "gmm": "GaussianMixture(max_iter=20)"}
    print(f"n = {N}, d = {D}, k = {K}; rounds = {args.rounds}; scikit-learn iterations {peer_rounds[0]['_iterations']}")
    print(f"BLAS (both sides, same environment): {peer_rounds[0]['_blas']}")
    print(f"{'workload':<34}{'Folio ms':>10}  {'scikit-learn':<32}{'peer ms':>10}{'speed-up':>10}")
    for key, name in names.items():
        folio = statistics.median(r[name] for r in folio_rounds)
        peer = statistics.median(r[key] for r in peer_rounds)
        print(f"{name.split(' n=')[0]:<34}{folio:>10.1f}  {peers_label[key]:<32}{peer:>10.1f}{peer / folio:>9.2f}x")


if __name__ == "__main__":
    main()
