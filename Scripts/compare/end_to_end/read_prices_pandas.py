"""Reads a wide prices CSV with pandas `read_csv` (dates parsed, one float column per asset)."""
import sys

import pandas as pd

prices = pd.read_csv(sys.argv[1], index_col=0, parse_dates=True)
print(prices.shape)
