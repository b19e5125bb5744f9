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


def prices_csv(directory: str, n: int, t: int) -> str:
    """A wide prices CSV (`date,A0001,...`) of t + 1 business days from the seeded returns:
    prices start log-uniform between 5 and 2,000 and are written with 6 decimals, as adjusted closes often are (about
    13 MB at N = 500, T = 2520). Returns its path; written once (temp file, then renamed)."""
    p = os.path.join(directory, f"prices_N{n}_T{t}.csv")
    if os.path.exists(p):
        return p
    os.makedirs(directory, exist_ok=True)
    r = returns(n, t)
    rng = np.random.default_rng(20261203 + n)
    start = np.exp(rng.uniform(np.log(5), np.log(2000), n))
    prices = np.vstack([start, start * np.cumprod(1 + r, axis=0)])
    dates = np.busday_offset("2016-01-04", np.arange(t + 1), roll="forward").astype(str)
    tmp = p + ".tmp"
    with open(tmp, "w") as f:
        f.write("date," + ",".join(f"A{i:04d}" for i in range(n)) + "\n")
        for d, row in zip(dates, prices):
            f.write(d + "," + ",".join(f"{v:.6f}" for v in row) + "\n")
    os.replace(tmp, p)
    return p


def holdings_csv(directory: str, accounts: int, positions: int = 20, lots: int = 3) -> str:
    """A custodian-style holdings CSV of `accounts` x `positions` x `lots` lot rows (account,
    account type, symbol, quantity, price with a dollar sign, cost basis with thousands
    separators and quotes, acquisition date) over a universe of 500 symbols, seeded. Returns
    its path; written once (temp file, then renamed)."""
    p = os.path.join(directory, f"holdings_A{accounts}_P{positions}_L{lots}.csv")
    if os.path.exists(p):
        return p
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(20261203 + accounts)
    prices = np.round(np.exp(rng.uniform(np.log(5), np.log(2000), 500)), 2)
    kinds = ["Taxable", "IRA", "Roth IRA"]
    tmp = p + ".tmp"
    with open(tmp, "w") as f:
        f.write("Account Number,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired\n")
        for a in range(accounts):
            kind = kinds[a % 3]
            for s in rng.choice(500, positions, replace=False):
                for _ in range(lots):
                    quantity = int(rng.integers(1, 400))
                    basis = quantity * prices[s] * rng.uniform(0.5, 1.5)
                    day = f"{int(rng.integers(1, 13)):02d}/{int(rng.integers(1, 29)):02d}/{int(rng.integers(2010, 2025))}"
                    f.write(f'ACCT{a:06d},{kind},S{s:04d},{quantity},${prices[s]:.2f},"${basis:,.2f}",{day}\n')
    os.replace(tmp, p)
    return p


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
    parser.add_argument("--prices-csv", action="store_true", help="write the wide prices CSV of each size instead")
    parser.add_argument("--holdings-csv", type=int, metavar="ACCOUNTS", help="write a holdings CSV of ACCOUNTS x 20 x 3 lots instead")
    args = parser.parse_args()
    if args.holdings_csv:
        print(holdings_csv(args.dir, args.holdings_csv))
        raise SystemExit
    if args.prices_csv:
        for n in (int(s) for s in args.sizes.split(",")):
            print(prices_csv(args.dir, n, args.days))
        raise SystemExit
    for n in (int(s) for s in args.sizes.split(",")):
        print(ensure(args.dir, n, args.days))
