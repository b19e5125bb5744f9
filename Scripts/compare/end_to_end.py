#!/usr/bin/env python3
"""Whole commands as a user times them: Folio's command against a Python script doing the
same from the same CSV, imports included, interleaved, median of 7 runs.

Workloads (input: a seeded wide prices CSV of 500 assets x 2,521 dates, about 13 MB, written
by Scripts/compare/inputs.py `prices_csv`):
  min variance   `folio optimize --prices F --objective min-variance` (long-only, sample
                 covariance of simple daily returns, x 252) against end_to_end/minvar_cvxpy.py
                 (pandas + cvxpy + Clarabel) and end_to_end/minvar_pypfopt.py (PyPortfolioOpt)
  Ledoit-Wolf    `folio covariance --prices F --covariance ledoit-wolf --format csv` against
                 end_to_end/ledoit_wolf_sklearn.py (pandas + scikit-learn `ledoit_wolf()`, the
                 matrix written as CSV the same way)
  read prices    `folio covariance --prices F --format csv` is not a reader alone, so the
                 reader is compared in Scripts/compare/readers.py; here pandas' script
                 end_to_end/read_prices_pandas.py shows the floor of any Python script
  README         the README's first command (`folio rebalance` on the sample household,
                 writing the plan to a temporary folder), alone: target under 100 ms

Every process runs with this script's environment unchanged (OPENBLAS_CORETYPE and the rest
are neither set nor unset), so Folio's OpenBLAS and numpy's read the same variables; the
script prints the core and thread count each side's OpenBLAS reports (Folio's library through
ctypes in a child process, numpy's through threadpoolctl).

Build Folio first: `swift build -c release --product folio`.
Usage: python3 Scripts/compare/end_to_end.py [--runs 7] [--folio .build/release/folio]
"""
import argparse
import ctypes
import datetime
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)


def timed(command, stdout=subprocess.DEVNULL):
    """Wall-clock and CPU (user + system, all threads) milliseconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed * 1e3, cpu * 1e3


def folio_blas(folio):
    """The core and threads of the OpenBLAS Folio's binary links, read in a child process
    with the same environment."""
    libraries = subprocess.run(["ldd", folio], capture_output=True, text=True).stdout
    match = re.search(r"(\S*libopenblas\S*) => (\S+)", libraries)
    if not match:
        return "OpenBLAS not found in ldd output"
    code = ("import ctypes,sys; l=ctypes.CDLL(sys.argv[1]); l.openblas_get_corename.restype=ctypes.c_char_p;"
            "print(l.openblas_get_corename().decode(), l.openblas_get_num_threads())")
    out = subprocess.run([sys.executable, "-c", code, match.group(2)], capture_output=True, text=True).stdout.split()
    return f"{match.group(2)}: core {out[0]}, threads {out[1]}" if len(out) == 2 else "unknown"


def numpy_blas():
    code = ("import numpy, json; from threadpoolctl import threadpool_info;"
            "print(json.dumps([(i.get('internal_api'), i.get('version'), i.get('architecture'), i.get('num_threads'))"
            " for i in threadpool_info() if i.get('user_api') == 'blas']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    return ", ".join(f"{api} {version}: core {core}, threads {threads}" for api, version, core, threads in json.loads(out or "[]"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--folio", default=os.path.join(ROOT, ".build", "release", "folio"))
    args = parser.parse_args()
    import inputs
    prices = inputs.prices_csv(inputs.DEFAULT_DIR, 500, 2520)
    folio = os.path.abspath(args.folio)
    py = sys.executable
    scripts = os.path.join(HERE, "end_to_end")
    plan = tempfile.mkdtemp(prefix="folio-e2e-")
    sample = "Examples/Data/households/couple/"
    readme = [folio, "rebalance", "--holdings", sample + "holdings.csv", "--targets", sample + "targets.yaml",
              "--policy", sample + "policy.yaml", "--securities", "Examples/Data/securities.csv",
              "--prices", "Examples/Data/prices.csv", "--output", plan]
    commands = {
        "min variance: folio optimize": [folio, "optimize", "--prices", prices, "--objective", "min-variance"],
        "min variance: cvxpy+Clarabel script": [py, os.path.join(scripts, "minvar_cvxpy.py"), prices],
        "min variance: PyPortfolioOpt script": [py, os.path.join(scripts, "minvar_pypfopt.py"), prices],
        "Ledoit-Wolf: folio covariance": [folio, "covariance", "--prices", prices, "--covariance", "ledoit-wolf", "--format", "csv"],
        "Ledoit-Wolf: scikit-learn script": [py, os.path.join(scripts, "ledoit_wolf_sklearn.py"), prices],
        "read prices: pandas script": [py, os.path.join(scripts, "read_prices_pandas.py"), prices],
        "README's first command: folio rebalance": readme,
    }
    for command in commands.values():  # warm-up: page cache, Python bytecode
        timed(command)
    samples = {name: [] for name in commands}
    load_before = os.getloadavg()[0]
    for run in range(args.runs):
        for name, command in commands.items():
            samples[name].append(timed(command))
        print(f"run {run + 1}: " + ", ".join(f"{name} {values[-1][0]:,.0f} ms (CPU {values[-1][1]:,.0f})"
                                             for name, values in samples.items()), file=sys.stderr, flush=True)
    load_after = os.getloadavg()[0]
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    cpu = {name: [c for _, c in values] for name, values in samples.items()}
    median = {name: statistics.median(values) for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"End to end, {now}, median of {args.runs} interleaved runs, load average {load_before:.1f} -> {load_after:.1f}")
    print(f"input: {os.path.relpath(prices, ROOT)} ({os.path.getsize(prices) / 1e6:.1f} MB, 500 assets x 2,521 dates)")
    print(f"Folio's BLAS: {folio_blas(folio)}")
    print(f"numpy's BLAS: {numpy_blas()}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')} on both sides")
    print()
    print("Wall clock is what a user waits; CPU time (user + system, every thread) is what the")
    print("process costs and moves less when other work shares the cores.")
    print()
    print("| command | median wall ms | min-max wall ms | median CPU ms | script / Folio, wall | script / Folio, CPU |")
    print("|---|---|---|---|---|---|")
    pairs = {"min variance": "min variance: folio optimize", "Ledoit-Wolf": "Ledoit-Wolf: folio covariance"}
    for name in samples:
        workload = name.split(":")[0]
        reference = pairs.get(workload)
        ratio = ratio_cpu = ""
        if reference and reference != name:
            ratio = f"{median[name] / median[reference]:.1f}x"
            ratio_cpu = f"{median_cpu[name] / median_cpu[reference]:.1f}x"
        print(f"| {name} | {median[name]:,.0f} | {min(wall[name]):,.0f}-{max(wall[name]):,.0f} | "
              f"{median_cpu[name]:,.0f} | {ratio} | {ratio_cpu} |")


if __name__ == "__main__":
    main()
