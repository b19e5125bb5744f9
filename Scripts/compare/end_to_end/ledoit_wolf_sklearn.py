"""Ledoit-Wolf covariance from a wide prices CSV with scikit-learn's `ledoit_wolf()` (the
covariance only, no precision matrix), simple daily returns, annualized by 252, written as CSV
with a header row of assets, as `folio covariance --covariance ledoit-wolf --format csv` writes it."""
import sys

import pandas as pd
from sklearn.covariance import ledoit_wolf

prices = pd.read_csv(sys.argv[1], index_col=0, parse_dates=True)
returns = prices.pct_change().dropna()
sigma, _ = ledoit_wolf(returns.values)
pd.DataFrame(sigma * 252, index=prices.columns, columns=prices.columns).rename_axis("asset").to_csv(sys.stdout)
