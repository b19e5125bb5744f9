#!/usr/bin/env python3
"""Generate the bundled SYNTHETIC book of clients for `folio segment` into
Examples/Data/book/clients.csv.

Every client is invented. Six latent groups (young accumulators, mid-career families,
business owners, pre-retirees, retirees, cash-heavy savers) are drawn with Python's
`random.Random(SEED)`; the risk category follows from the willingness and capacity scores
as Folio's questionnaire would place it (the lower of the two), and each client holds the
model of their category, except about 3% who hold another model and 1% whose features are
unusual for any group: the clients `folio segment` should flag for review.

Usage:  python3 Scripts/sample_data/book.py [--clients N] [--out FILE]
        python3 Scripts/sample_data/book.py --check   (regenerate and compare byte for byte)

No protected characteristics are generated (see Documentation/Segmentation.md).
"""
from __future__ import annotations

import argparse
import csv
import io
import pathlib
import random
import sys

SEED = 20261203
ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "Examples/Data/book/clients.csv"
CATEGORIES = ["conservative", "moderately-conservative", "moderate", "moderately-aggressive", "aggressive"]

# name, share, age (mean, sd), horizon, income, net worth (log-normal median, sigma),
# willingness, capacity, equity share, concentration, cash share
GROUPS = [
    ("young accumulators", 0.24, (31, 4), (30, 5), (85_000, 0.35), (120_000, 0.6), (72, 10), (70, 10), (0.85, 0.07), (0.12, 0.05), (0.05, 0.03)),
    ("mid-career families", 0.26, (44, 5), (18, 4), (160_000, 0.35), (650_000, 0.5), (58, 10), (62, 10), (0.68, 0.08), (0.10, 0.04), (0.06, 0.03)),
    ("business owners", 0.08, (52, 7), (14, 5), (420_000, 0.5), (4_500_000, 0.6), (70, 12), (75, 10), (0.74, 0.10), (0.38, 0.12), (0.10, 0.05)),
    ("pre-retirees", 0.18, (59, 3), (7, 2), (190_000, 0.35), (1_400_000, 0.5), (48, 10), (45, 10), (0.55, 0.08), (0.09, 0.04), (0.07, 0.03)),
    ("retirees", 0.16, (71, 5), (3, 2), (60_000, 0.4), (1_100_000, 0.6), (35, 10), (30, 10), (0.35, 0.08), (0.08, 0.04), (0.12, 0.05)),
    ("cash-heavy savers", 0.08, (48, 12), (10, 6), (95_000, 0.4), (450_000, 0.6), (25, 10), (50, 12), (0.20, 0.10), (0.07, 0.04), (0.55, 0.12)),
]


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def category(willingness, capacity):
    score = min(willingness, capacity)
    return CATEGORIES[clamp(int(score // 20), 0, 4)]


def generate(count: int) -> str:
    rng = random.Random(SEED)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["client_id", "age", "horizon_years", "income", "net_worth", "willingness", "capacity",
                     "equity_share", "concentration", "cash_share", "risk_category", "model"])
    weights = [g[1] for g in GROUPS]
    for i in range(count):
        group = rng.choices(GROUPS, weights)[0]
        _, _, age, horizon, income, worth, will, cap, equity, conc, cash = group
        a = clamp(round(rng.gauss(*age)), 21, 95)
        h = clamp(round(rng.gauss(*horizon)), 1, 45)
        inc = round(income[0] * pow(2.718281828, rng.gauss(0, income[1])), -2)
        nw = round(worth[0] * pow(2.718281828, rng.gauss(0, worth[1])), -3)
        w = clamp(round(rng.gauss(*will)), 0, 100)
        c = clamp(round(rng.gauss(*cap)), 0, 100)
        eq = clamp(rng.gauss(*equity), 0.0, 1.0)
        cn = clamp(rng.gauss(*conc), 0.01, 1.0)
        cs = clamp(rng.gauss(*cash), 0.0, 1.0 - eq)
        if rng.random() < 0.01:  # unusual for any group
            eq, cs, cn = rng.choice([(0.98, 0.0, 0.85), (0.02, 0.95, 0.02), (0.60, 0.05, 0.70)])
        cat = category(w, c)
        model = cat if rng.random() >= 0.03 else rng.choice([m for m in CATEGORIES if m != cat])
        writer.writerow([f"C{i + 1:05d}", a, h, f"{inc:.0f}", f"{nw:.0f}", w, c, f"{eq:.3f}", f"{cn:.3f}",
                         f"{cs:.3f}", cat, model])
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=3000)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = generate(args.clients)
    if args.check:
        same = args.out.read_text() == text
        print("book: identical" if same else "book: DIFFERS")
        sys.exit(0 if same else 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.clients} clients to {args.out}")


if __name__ == "__main__":
    main()
