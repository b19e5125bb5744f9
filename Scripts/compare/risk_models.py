#!/usr/bin/env python3
"""Folio's covariance estimators against numpy and scikit-learn, side by side.

Times, on the seeded inputs of Scripts/compare/inputs.py (T = 2520 days; N = 100, 500, 2000):
  numpy.cov(X, rowvar=False)                      vs Folio SampleCovariance (per period)
  sklearn LedoitWolf().fit(X) (class defaults, also inverts) and sklearn.covariance.ledoit_wolf(X)
  (covariance only, what PyPortfolioOpt calls)    vs Folio LedoitWolfShrinkage (per period)
  sklearn OAS().fit(X) and sklearn.covariance.oas(X)  vs Folio OracleApproximatingShrinkage
and reports the rate of one plain `dsyrk` call and of Folio's blocked XᵀX (N²·T flops) from the
same Folio run.

Peers: median of >= 5 runs after one warm-up, in a child process with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE removed from the environment (only there). Folio: `swift package benchmark`
(package-benchmark p50 wall clock) in Benchmarks/, run right after the peers for each size,
so the two sides alternate by size.

Usage:  /work/pyenv/bin/python Scripts/compare/risk_models.py [--sizes 100,500,2000] [--runs 5]
Peers needed (pip): numpy, scikit-learn (this run: numpy 2.4.6, scikit-learn 1.9.1).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
T = 2520


def time_peers(n, runs):
    import numpy as np
    import sklearn.covariance as skc
    import inputs

    X = inputs.load(inputs.DEFAULT_DIR, n, T)
    peers = {
        "numpy.cov": lambda: np.cov(X, rowvar=False),
        "sklearn LedoitWolf()": lambda: skc.LedoitWolf().fit(X),
        "sklearn ledoit_wolf()": lambda: skc.ledoit_wolf(X),
        "sklearn OAS()": lambda: skc.OAS().fit(X),
        "sklearn oas()": lambda: skc.oas(X),
    }
    out = {}
    for name, f in peers.items():
        f()  # warm-up
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            f()
            samples.append((time.perf_counter() - t0) * 1e3)
        samples.sort()
        out[name] = samples[len(samples) // 2]
    try:
        from threadpoolctl import threadpool_info
        out["_blas"] = [(i.get("internal_api"), i.get("architecture"), i.get("num_threads")) for i in threadpool_info()]
    except Exception:  # pragma: no cover
        out["_blas"] = []
    return out


def run_peers(n, runs):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    res = subprocess.run([sys.executable, os.path.abspath(__file__), "--peer-child", str(n), "--runs", str(runs)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_folio(n):
    pattern = f"(dsyrk|gramian|sample covariance|Ledoit-Wolf|OAS) N={n}"
    cmd = ["swift", "package", "--disable-sandbox", "benchmark", "--target", "RiskBenchmarks",
           "--filter", pattern, "--format", "markdown", "--no-progress"]
    res = subprocess.run(cmd, cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(res.stdout + res.stderr)
    times, current = {}, None
    for line in res.stdout.splitlines():
        header = re.match(r"^#+\s*(.+ N=\d+)\s*$", line.strip())
        if header:
            current = header.group(1).strip()
        elif current and line.startswith("| Time (wall clock)"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            unit = re.search(r"\((\S+)\)\s*\*?$", cells[0])
            scale = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit.group(1)] if unit else 1e-3
            times[current] = float(cells[3].replace(",", "")) * scale  # p50
    return times, res.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-child", type=int)
    args = parser.parse_args()
    if args.peer_child:
        print(json.dumps(time_peers(args.peer_child, max(args.runs, 5))))
        return
    import inputs
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        inputs.ensure(inputs.DEFAULT_DIR, n, T)
    rows, blas = [], None
    for n in sizes:
        peers = run_peers(n, args.runs)
        blas = peers.pop("_blas")
        folio, raw = run_folio(n)
        if not folio:
            sys.exit("could not parse the Folio benchmark output:\n" + raw)
        f = lambda key: folio.get(f"{key} N={n}")
        gflops = n * n * T / (f("dsyrk") * 1e-3) / 1e9
        rows.append(("dsyrk (one call)", n, f("dsyrk"), "", None, f"{gflops:.1f} GFLOP/s"))
        rows.append(("XᵀX (Folio gramian)", n, f("gramian"), "", None,
                     f"{n * n * T / (f('gramian') * 1e-3) / 1e9:.1f} GFLOP/s"))
        sc = f("sample covariance")
        rows.append(("sample covariance", n, sc, "numpy.cov", peers["numpy.cov"],
                     f"{n * n * T / (sc * 1e-3) / 1e9:.1f} GFLOP/s = {f('dsyrk') / sc:.0%} of dsyrk"))
        for key, peer in [("Ledoit-Wolf", "sklearn LedoitWolf()"), ("Ledoit-Wolf", "sklearn ledoit_wolf()"),
                          ("OAS", "sklearn OAS()"), ("OAS", "sklearn oas()")]:
            rows.append((key, n, f(key), peer, peers[peer], ""))
        print(f"... N={n} done", file=sys.stderr)
    print(f"T = {T}; peers' BLAS: {blas}")
    print(f"{'workload':<22}{'N':>6}{'Folio ms':>11}  {'peer':<24}{'peer ms':>10}{'speed-up':>10}  note")
    for w, n, folio_ms, peer, peer_ms, note in rows:
        ratio = f"{peer_ms / folio_ms:.2f}x" if peer_ms else ""
        peer_txt = f"{peer_ms:.2f}" if peer_ms else ""
        print(f"{w:<22}{n:>6}{folio_ms:>11.2f}  {peer:<24}{peer_txt:>10}{ratio:>10}  {note}")


if __name__ == "__main__":
    main()
