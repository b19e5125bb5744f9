#!/usr/bin/env python3
"""Folio's file readers against pandas `read_csv` on the same files, interleaved.

Files (seeded, Scripts/compare/inputs.py): a wide prices CSV of 500 assets x 2,521 dates
(about 13 MB, 1.26 million prices) and a custodian-style holdings CSV of 2,000 accounts x 20
positions x 3 lots (120,000 rows, prices with `$`, cost bases with `$` and thousands
separators, US dates).

Peers (in this process, median of 5 calls after a warm-up, per round):
  prices    pandas.read_csv(F, index_col=0, parse_dates=True) (floats, dates parsed)
  holdings  pandas.read_csv(F, thousands=",") then the `$` columns to float and the dates
            parsed, what a user must add to get numbers (pandas cannot read `$1,234.56`);
            Folio reads money exactly (Decimal), pandas to float64.
Folio: `swift package benchmark --target FilesBenchmarks` (p50 wall clock, file read included).
Rounds alternate the two sides (--rounds, default 3); the table shows the median of the
rounds' medians and each round's ratio. Both sides run in this script's environment.

Usage: python3 Scripts/compare/readers.py [--rounds 3]
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def median_ms(fn, runs=5):
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def pandas_prices(path):
    import pandas as pd
    return pd.read_csv(path, index_col=0, parse_dates=True)


def pandas_holdings(path):
    import pandas as pd
    df = pd.read_csv(path, thousands=",")
    for column in ("Price", "Cost Basis Total"):
        df[column] = df[column].str.replace("$", "", regex=False).str.replace(",", "", regex=False).astype(float)
    df["Date Acquired"] = pd.to_datetime(df["Date Acquired"], format="%m/%d/%Y")
    return df


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import inputs
    import pandas as pd
    prices = inputs.prices_csv(inputs.DEFAULT_DIR, 500, 2520)
    holdings = inputs.holdings_csv(inputs.DEFAULT_DIR, 2000)
    workloads = [("prices reader N=500 T=2520", lambda: pandas_prices(prices)),
                 ("holdings reader 2000x20x3", lambda: pandas_holdings(holdings))]
    rows = {name: ([], []) for name, _ in workloads}
    for _ in range(args.rounds):
        for name, fn in workloads:
            rows[name][1].append(median_ms(fn))
        folio, _, raw = inputs.folio_benchmark("FilesBenchmarks")
        for name, _ in workloads:
            if name not in folio:
                sys.exit("could not read Folio's benchmark output:\n" + raw[-3000:])
            rows[name][0].append(folio[name])
    print(f"pandas {pd.__version__}; {args.rounds} interleaved rounds")
    print("| reader | Folio ms | pandas ms | pandas / Folio | per round |")
    print("|---|---|---|---|---|")
    for name, (folio_ms, pandas_ms) in rows.items():
        ratios = ", ".join(f"{p / f:.2f}x" for f, p in zip(folio_ms, pandas_ms))
        f, p = statistics.median(folio_ms), statistics.median(pandas_ms)
        print(f"| {name} | {f:.1f} | {p:.1f} | {p / f:.2f}x | {ratios} |")


if __name__ == "__main__":
    main()
