#!/usr/bin/env python3
"""Seeded benchmark inputs shared by Folio's benchmarks and the Python peers.

Writes daily returns for N assets over T days with a factor structure (one market factor,
ten sector factors, idiosyncratic noise; annual volatilities 15-45%) as raw little-endian
float64, row-major T x N, to  <dir>/returns_N{N}_T{T}.f64  (default dir: .build-bench-inputs
at the repository root, git-ignored). Folio's benchmarks read the same files, so both sides
time exactly the same numbers.

Usage: python3 Scripts/compare/inputs.py [--dir DIR] [--sizes 20,100,500,2000] [--days 2520]
"""
import argparse
import os
import re
import subprocess

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DIR = os.path.join(ROOT, ".build-bench-inputs")


def returns(n: int, t: int, seed: int = 20261129) -> np.ndarray:
    rng = np.random.default_rng(seed + n * 7919 + t)
    market = rng.standard_normal(t) * 0.16 / np.sqrt(252)
    sectors = rng.standard_normal((t, 10)) * 0.10 / np.sqrt(252)
    beta = rng.uniform(0.6, 1.4, n)
    sector = rng.integers(0, 10, n)
    idio_vol = rng.uniform(0.10, 0.35, n) / np.sqrt(252)
    drift = rng.uniform(0.02, 0.14, n) / 252
    noise = rng.standard_normal((t, n)) * idio_vol
    r = drift + market[:, None] * beta + sectors[:, sector] + noise
    return np.ascontiguousarray(r, dtype="<f8")


def path(directory: str, n: int, t: int) -> str:
    return os.path.join(directory, f"returns_N{n}_T{t}.f64")


def ensure(directory: str, n: int, t: int) -> str:
    p = path(directory, n, t)
    if not os.path.exists(p):
        os.makedirs(directory, exist_ok=True)
        tmp = p + ".tmp"
        returns(n, t).tofile(tmp)
        os.replace(tmp, p)
    return p


def load(directory: str, n: int, t: int) -> np.ndarray:
    return np.fromfile(ensure(directory, n, t), dtype="<f8").reshape(t, n)


UNITS_MS = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}


def folio_benchmark(target, filter_pattern=None, env=None):
    """Runs one of Folio's benchmark targets (Benchmarks/) in markdown format.

    Returns ({benchmark name: p50 ms}, the "OpenBLAS core" line it prints, the raw output).
    """
    cmd = ["swift", "package", "--disable-sandbox", "benchmark", "--target", target, "--no-progress", "--format", "markdown"]
    if filter_pattern:
        cmd += ["--filter", filter_pattern]
    proc = subprocess.run(cmd, cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True, env=env)
    out = proc.stdout + proc.stderr
    core = next((line.strip() for line in out.splitlines() if line.startswith("OpenBLAS core")), "OpenBLAS core: not reported")
    result, current = {}, None
    for line in out.splitlines():
        m = re.match(r"###\s+(.+?)\s*$", line)
        if m:
            current = m.group(1).strip()
            continue
        m = re.match(r"\|\s*Time \(wall clock\) \((\S+)\)\s*\*?\s*\|(.*)", line)
        if m and current:
            cells = [c.strip().replace(",", "") for c in m.group(2).split("|")]
            result[current] = float(cells[2]) * UNITS_MS[m.group(1)]  # columns: p0, p25, p50, ...
    return result, core, out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=DEFAULT_DIR)
    parser.add_argument("--sizes", default="20,100,500,2000")
    parser.add_argument("--days", type=int, default=2520)
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        print(ensure(args.dir, n, args.days))
