#!/usr/bin/env python3
"""Issue 5 speed comparison: Folio's AllocationBenchmarks against the Python peers on the
same seeded inputs (Scripts/compare/inputs.py), T = 2520, N = 20, 100, 500, 2000.

Workloads
  W6  equal risk contribution, tolerance 1e-10. Folio and riskparityportfolio (vanilla,
      compiled C++; both its "spinu" and "choi" methods) start from the sample covariance;
      skfolio RiskBudgeting and Riskfolio-Lib rp_optimization fit from the returns (their
      covariance costs ~1-10% of their time).
  W7  HRP, single linkage, from returns (covariance included on every side).
      PyPortfolioOpt HRPOpt; skfolio with optimal_ordering=False; Riskfolio-Lib HCPortfolio
      with leaf_order=False (the configurations Folio matches).
  W8  whole shares of $1,000,000, inverse-variance target weights, prices (2000 + 37 i mod 900)/10.

Interleaved rounds (--rounds, default 3): each round times the peers (median of >= 5 runs
after a warm-up; a peer whose single run takes more than 5 s is reported from that one run; at
N = 2000 a peer is skipped when its N = 500 median x 40 predicts more than 60 s) and then runs
Folio's benchmark (`swift package benchmark --target AllocationBenchmarks`); the table shows
the median over rounds. Folio's W6 row is the library's defaults (`RiskBudgeting()`, what
`folio optimize --objective risk-parity` runs); the "checked" rows add the Cholesky check.
The ERC ratio is against riskparityportfolio's fastest method in the same round ("choi" here).

Both sides run in this script's environment, unchanged (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
are neither set nor unset); the OpenBLAS core and threads of each side are printed.
Run: python3 Scripts/compare/allocation.py [--sizes 20,100] [--only W6] [--rounds 3]
"""
import argparse
import glob
import importlib.util
import os
import re
import site
import subprocess
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Scripts", "compare"))


ONLY = ""
PEERS = ""


def timed(fn, runs=5, single_limit=5.0):
    start = time.perf_counter()
    fn()  # warm-up (and a first measurement)
    first = time.perf_counter() - start
    if first > single_limit:
        return first * 1e3, "1 run"
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2] * 1e3, ""


def load_vanilla():
    for base in site.getsitepackages():
        paths = glob.glob(os.path.join(base, "riskparityportfolio", "vanilla*.so"))
        if paths:
            spec = importlib.util.spec_from_file_location("vanilla", paths[0])
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    return None


def run_peers(sizes):
    warnings.filterwarnings("ignore")
    import numpy as np
    import pandas as pd
    import inputs
    V = load_vanilla()
    results = {}  # (workload, n, peer) -> (ms, note)
    directory = os.path.join(ROOT, ".build-bench-inputs")
    for n in sizes:
        R = inputs.load(directory, n, 2520)
        df = pd.DataFrame(R, columns=[f"A{i}" for i in range(n)])
        cov = np.cov(R.T)
        b = np.ones(n) / n

        def attempt(key, fn):
            workload, size, peer = key
            if ONLY and not re.search(ONLY, workload):
                return
            if PEERS and not re.search(PEERS, peer):
                return
            if size == 2000 and (workload, 500, peer) in results:
                previous = results[(workload, 500, peer)][0]
                if previous is not None and previous * 40 > 60_000:
                    results[key] = (None, f"skipped (N=500 took {previous:,.0f} ms; predicted > 60 s)")
                    return
            try:
                results[key] = timed(fn)
            except Exception as error:  # report, never hide
                results[key] = (None, f"error: {type(error).__name__}: {str(error)[:60]}")
            print(f"  {key}: {results[key]}", file=sys.stderr, flush=True)

        # W6
        if V is not None:
            attempt(("W6 ERC", n, "riskparityportfolio spinu"), lambda: V.design(cov, b, 1e-10, 50))
            attempt(("W6 ERC", n, "riskparityportfolio choi"), lambda: V.design(cov, b, 1e-10, 50, "choi"))
        from skfolio.optimization import RiskBudgeting
        attempt(("W6 ERC", n, "skfolio"), lambda: RiskBudgeting().fit(R))
        try:
            import riskfolio as rp
        except ImportError:
            print("riskfolio-lib is not installed: its rows are left out", file=sys.stderr)
            rp = None

        def riskfolio_erc():
            port = rp.Portfolio(returns=df)
            port.assets_stats(method_mu="hist", method_cov="hist")
            return port.rp_optimization(model="Classic", rm="MV", b=None, hist=True)
        if rp is not None:
            attempt(("W6 ERC", n, "riskfolio-lib"), riskfolio_erc)

        # W7
        from pypfopt import HRPOpt
        attempt(("W7 HRP", n, "PyPortfolioOpt"), lambda: HRPOpt(returns=df).optimize("single"))
        from skfolio.cluster import HierarchicalClustering, LinkageMethod
        from skfolio.optimization import HierarchicalRiskParity
        from skfolio.seriation import HierarchicalSeriation
        attempt(("W7 HRP", n, "skfolio"), lambda: HierarchicalRiskParity(seriation_estimator=HierarchicalSeriation(
            hierarchical_clustering_estimator=HierarchicalClustering(linkage_method=LinkageMethod.SINGLE),
            optimal_ordering=False)).fit(R))
        if rp is not None:
            attempt(("W7 HRP", n, "riskfolio-lib"), lambda: rp.HCPortfolio(returns=df).optimization(
            model="HRP", codependence="pearson", rm="MV", linkage="single", leaf_order=False))

        # W8
        if n <= 100:
            from pypfopt import DiscreteAllocation
            w = 1 / np.diag(cov)
            w = w / w.sum()
            prices = pd.Series([(2000 + (37 * i) % 900) / 10 for i in range(n)], index=df.columns)
            weights = dict(zip(df.columns, w))
            attempt(("W8 greedy", n, "PyPortfolioOpt greedy"),
                    lambda: DiscreteAllocation(weights, prices, total_portfolio_value=1_000_000).greedy_portfolio())
            attempt(("W8 exact", n, "PyPortfolioOpt lp (HiGHS)"),
                    lambda: DiscreteAllocation(weights, prices, total_portfolio_value=1_000_000).lp_portfolio(solver="HIGHS"))
    return results


def to_ms(value, unit):
    scale = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
    return value * scale


def run_folio(only=""):
    command = ["swift", "package", "--disable-sandbox", "benchmark", "--target", "AllocationBenchmarks",
               "--no-progress", "--format", "markdown"]
    if only:
        command += ["--filter", only + ".*"]
    out = subprocess.run(command, cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True)
    text = out.stdout + out.stderr
    folio = {}
    core = next((line.strip() for line in text.splitlines() if line.startswith("OpenBLAS core")), "OpenBLAS core not reported")
    name, unit = None, "μs"
    for line in text.splitlines():
        m = re.match(r"^#+\s*(W\d [^\n]*?)\s*$", line.strip()) or re.match(r"^(W\d .*N=\d+)\s*$", line.strip())
        if m:
            name = m.group(1).strip()
            continue
        u = re.search(r"Time \(wall clock\)\s*\((ns|μs|us|ms|s)\)", line)
        if u and name:
            unit = u.group(1)
            cells = [c.strip() for c in line.split("|") if c.strip()]
            # columns: metric, p0, p25, p50, p75, p90, p99, p100, samples
            try:
                folio[name] = to_ms(float(cells[3].replace(",", "")), unit)
            except (IndexError, ValueError):
                pass
    if not folio:
        print(text[-3000:], file=sys.stderr)
    return folio, core


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20,100,500,2000")
    parser.add_argument("--only", default="", help="regex on workload names, e.g. 'W6'")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peers", default="", help="regex on peer names, e.g. 'riskparityportfolio'")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    global ONLY, PEERS
    ONLY, PEERS = args.only, args.peers
    median = lambda values: sorted(values)[len(values) // 2]
    peer_rounds, folio_rounds = [], []
    for _ in range(args.rounds):
        peer_rounds.append(run_peers(sizes))
        folio_round, core = run_folio(args.only)
        folio_rounds.append(folio_round)
    folio = {key: median([r[key] for r in folio_rounds if key in r]) for key in folio_rounds[0]}
    peers = {}
    for key in peer_rounds[0]:
        timed_rounds = [r[key][0] for r in peer_rounds if key in r and r[key][0] is not None]
        peers[key] = (median(timed_rounds), peer_rounds[0][key][1]) if timed_rounds else peer_rounds[0][key]
    # The fastest riskparityportfolio method per size, as its own row.
    for n in sizes:
        methods = [(ms, peer) for (w, size, peer), (ms, _) in peers.items()
                   if w == "W6 ERC" and size == n and peer.startswith("riskparityportfolio") and ms is not None]
        if methods:
            ms, peer = min(methods)
            peers[("W6 ERC", n, "fastest: " + peer)] = (ms, "")
    print(f"{args.rounds} interleaved rounds; same environment on both sides "
          f"(OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')})")
    print(f"Folio's BLAS: {core}")
    try:
        import numpy.__config__  # noqa: F401
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            print(f"peer BLAS: {info.get('internal_api')} {info.get('architecture')} threads={info.get('num_threads')}")
    except Exception:
        pass
    print("| workload | N | Folio ms | peer | peer ms | peer / Folio |")
    print("|---|---|---|---|---|---|")
    for (workload, n, peer), (ms, note) in sorted(peers.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        folio_ms = folio.get(f"{workload} N={n}")
        fm = f"{folio_ms:.4g}" if folio_ms is not None else "n/a"
        pm = f"{ms:,.4g}" + (f" ({note})" if note else "") if ms is not None else note
        ratio = f"{ms / folio_ms:,.1f}x" if (ms is not None and folio_ms) else "-"
        print(f"| {workload} | {n} | {fm} | {peer} | {pm} | {ratio} |")
    for key, value in sorted(folio.items()):
        if "checked" in key:
            print(f"| {key.replace(' checked', ' (with Cholesky PD check)')} | | {value:.4g} | | | |")


if __name__ == "__main__":
    main()
