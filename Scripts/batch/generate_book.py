#!/usr/bin/env python3
"""A seeded synthetic book for `folio batch`: many accounts in one custodian-style holdings file.

Writes into OUT (default .build-batch-book/ at the repository root, git-ignored):
  holdings.csv   ACCOUNTS accounts x POSITIONS positions x LOTS lots (+ a CASH row each),
                 in the holdings format of Documentation/FileFormats.md
  targets.yaml   equal-ish weights over the first TARGET symbols (the rest are sold)
  policy.yaml    tax-minimizing lots, 5/25 bands with trigger always, a 0.5% reserve, $50 min trade
Every account is drifted from the target, holds lots at gains and losses (some short-term),
and about 1 in 500 has a deliberate data error (a lot with a negative quantity), so the
batch shows failure isolation. Deterministic for a given seed.

Usage: python3 Scripts/batch/generate_book.py [--accounts 10000] [--positions 20] [--lots 3] [--out DIR]
"""
import argparse
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--accounts", type=int, default=10000)
    p.add_argument("--positions", type=int, default=20)
    p.add_argument("--lots", type=int, default=3)
    p.add_argument("--target", type=int, default=16)
    p.add_argument("--seed", type=int, default=20261129)
    p.add_argument("--out", default=os.path.join(ROOT, ".build-batch-book"))
    a = p.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    universe = [f"S{i:03d}" for i in range(max(a.positions + 10, a.target))]
    price = {s: round(rng.uniform(15, 400), 2) for s in universe}
    target = universe[: a.target]
    raw = [rng.uniform(0.5, 1.5) for _ in target]
    weights = [round(w / sum(raw), 4) for w in raw]
    weights[-1] = round(1 - sum(weights[:-1]), 4)
    with open(os.path.join(a.out, "targets.yaml"), "w") as f:
        f.write("# Synthetic target for the generated batch book.\ntargets:\n")
        for s, w in zip(target, weights):
            f.write(f"  {s}: {w:.4f}\n")
    with open(os.path.join(a.out, "policy.yaml"), "w") as f:
        f.write("trigger: always\nbands: {absolute: 0.05, relative: 0.25}\ncash: {reserve_percent: 0.005}\n"
                "trading: {min_trade: 50.00}\ntaxes: {lot_method: tax-minimizing, short_term_rate: 0.37, long_term_rate: 0.20}\n")
    tmp = os.path.join(a.out, "holdings.csv.tmp")
    with open(tmp, "w") as f:
        f.write("Account Number,Account Type,Symbol,Quantity,Price,Cost Basis Total,Date Acquired,Asset Class\n")
        for n in range(a.accounts):
            account = f"B{n:06d}"
            kind = "Taxable" if n % 3 else "Traditional IRA"
            held = rng.sample(universe, a.positions)
            bad = n % 500 == 499
            for j, s in enumerate(held):
                for k in range(a.lots):
                    qty = rng.randint(1, 60)
                    if bad and j == 0 and k == 0:
                        qty = -qty
                    basis = round(abs(qty) * price[s] * rng.uniform(0.6, 1.3), 2)
                    year = rng.choice([2018, 2020, 2022, 2024, 2025])
                    month = rng.randint(1, 12) if year < 2025 else rng.randint(1, 11)
                    f.write(f"{account},{kind},{s},{qty},{price[s]:.2f},{basis:.2f},{month:02d}/{rng.randint(1, 28):02d}/{year},equity\n")
            f.write(f"{account},{kind},CASH,{rng.uniform(100, 20000):.2f},1.00,--,--,cash\n")
        f.write("Total,,,,,,,\n")
    os.replace(tmp, os.path.join(a.out, "holdings.csv"))
    print(os.path.join(a.out, "holdings.csv"))


if __name__ == "__main__":
    main()
