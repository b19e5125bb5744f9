"""Long-only minimum variance from a wide prices CSV with PyPortfolioOpt (its default solver),
sample covariance of simple daily returns annualized by 252, weights printed."""
import sys

import pandas as pd
from pypfopt import EfficientFrontier, risk_models

prices = pd.read_csv(sys.argv[1], index_col=0, parse_dates=True)
sigma = risk_models.sample_cov(prices, frequency=252)
ef = EfficientFrontier(None, sigma, weight_bounds=(0, 1))
ef.min_volatility()
print(pd.Series(ef.clean_weights(rounding=6)).to_string())
