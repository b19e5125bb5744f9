#!/usr/bin/env python3
"""Folio's covariance estimators against numpy and scikit-learn, side by side.

Times, on the seeded inputs of Scripts/compare/inputs.py (T = 2520 days; N = 100, 500, 2000):
  numpy.cov(X, rowvar=False)                      vs Folio SampleCovariance (per period)
  sklearn LedoitWolf().fit(X) (class defaults, also inverts) and sklearn.covariance.ledoit_wolf(X)
  (covariance only, what PyPortfolioOpt calls)    vs Folio LedoitWolfShrinkage (per period)
  sklearn OAS().fit(X) and OAS(store_precision=False).fit(X)  vs Folio OracleApproximatingShrinkage
and reports the rate of one plain `dsyrk` call and of Folio's blocked XᵀX (N²·T flops) from the
same Folio run.

Like for like: scikit-learn's `ledoit_wolf()` and `OAS(store_precision=False)` (the covariance only;
`ledoit_wolf()` is what `LedoitWolf(store_precision=False)` computes) are the peers the ratios
are quoted against; the class defaults, which also invert the matrix, are listed beside them.

Both sides run in this script's environment, unchanged (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE
and the thread variables are neither set nor unset); the table header prints the core and
thread count of numpy's OpenBLAS (threadpoolctl) and of Folio's (`BLASConfiguration`, printed
by the benchmark). Interleaved: for each size, --rounds rounds each time the peers (median of
>= 5 runs after a warm-up, in a child process) and then Folio's `swift package benchmark`
(package-benchmark p50 wall clock); the table shows the median over rounds.

Usage:  python3 Scripts/compare/risk_models.py [--sizes 100,500,2000] [--runs 5] [--rounds 3]
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
        "sklearn OAS(store_precision=False)": lambda: skc.OAS(store_precision=False).fit(X),
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
    res = subprocess.run([sys.executable, os.path.abspath(__file__), "--peer-child", str(n), "--runs", str(runs)],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_folio(n):
    pattern = f"(dsyrk|gramian|sample covariance|Ledoit-Wolf|OAS) N={n}"
    cmd = ["swift", "package", "--disable-sandbox", "benchmark", "--target", "RiskBenchmarks",
           "--filter", pattern, "--format", "markdown", "--no-progress"]
    res = subprocess.run(cmd, cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(res.stdout + res.stderr)
    times, current = {}, None
    core = next((line.strip() for line in res.stdout.splitlines() if line.startswith("OpenBLAS core")), "not reported")
    for line in res.stdout.splitlines():
        header = re.match(r"^#+\s*(.+ N=\d+)\s*$", line.strip())
        if header:
            current = header.group(1).strip()
        elif current and line.startswith("| Time (wall clock)"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            unit = re.search(r"\((\S+)\)\s*\*?$", cells[0])
            scale = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit.group(1)] if unit else 1e-3
            times[current] = float(cells[3].replace(",", "")) * scale  # p50
    return times, core, res.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer-child", type=int)
    args = parser.parse_args()
    if args.peer_child:
        print(json.dumps(time_peers(args.peer_child, max(args.runs, 5))))
        return
    import inputs
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        inputs.ensure(inputs.DEFAULT_DIR, n, T)
    rows, blas, core = [], None, None
    median = lambda values: sorted(values)[len(values) // 2]
    for n in sizes:
        peer_rounds, folio_rounds = [], []
        for _ in range(args.rounds):
            peer_rounds.append(run_peers(n, args.runs))
            folio_round, core, raw = run_folio(n)
            if not folio_round:
                sys.exit("could not parse the Folio benchmark output:\n" + raw)
            folio_rounds.append(folio_round)
        blas = peer_rounds[-1]["_blas"]
        peers = {key: median([r[key] for r in peer_rounds]) for key in peer_rounds[0] if key != "_blas"}
        folio = {key: median([r[key] for r in folio_rounds if key in r]) for key in folio_rounds[0]}
        f = lambda key: folio.get(f"{key} N={n}")
        gflops = n * n * T / (f("dsyrk") * 1e-3) / 1e9
        rows.append(("dsyrk (one call)", n, f("dsyrk"), "", None, f"{gflops:.1f} GFLOP/s"))
        rows.append(("XᵀX (Folio gramian)", n, f("gramian"), "", None,
                     f"{n * n * T / (f('gramian') * 1e-3) / 1e9:.1f} GFLOP/s"))
        sc = f("sample covariance")
        rows.append(("sample covariance", n, sc, "numpy.cov", peers["numpy.cov"],
                     f"{n * n * T / (sc * 1e-3) / 1e9:.1f} GFLOP/s = {f('dsyrk') / sc:.0%} of dsyrk"))
        for key, peer in [("Ledoit-Wolf", "sklearn ledoit_wolf()"), ("Ledoit-Wolf", "sklearn LedoitWolf()"),
                          ("OAS", "sklearn OAS(store_precision=False)"), ("OAS", "sklearn OAS()")]:
            rows.append((key, n, f(key), peer, peers[peer], ""))
        print(f"... N={n} done", file=sys.stderr)
    print(f"T = {T}; {args.rounds} interleaved rounds; same environment on both sides "
          f"(OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')})")
    print(f"numpy's BLAS (internal_api, core, threads): {blas}")
    print(f"Folio's BLAS: {core}")
    print("Like for like: ledoit_wolf() and OAS(store_precision=False) (covariance only); the class rows also invert the matrix.")
    print(f"{'workload':<22}{'N':>6}{'Folio ms':>11}  {'peer':<36}{'peer ms':>10}{'speed-up':>10}  note")
    for w, n, folio_ms, peer, peer_ms, note in rows:
        ratio = f"{peer_ms / folio_ms:.2f}x" if peer_ms else ""
        peer_txt = f"{peer_ms:.2f}" if peer_ms else ""
        print(f"{w:<22}{n:>6}{folio_ms:>11.2f}  {peer:<36}{peer_txt:>10}{ratio:>10}  {note}")


if __name__ == "__main__":
    main()
