"""Long-only minimum variance from a wide prices CSV with cvxpy + Clarabel, as a user would
write it: simple daily returns, sample covariance annualized by 252, weights printed."""
import sys

import cvxpy as cp
import pandas as pd

prices = pd.read_csv(sys.argv[1], index_col=0, parse_dates=True)
returns = prices.pct_change().dropna()
sigma = returns.cov().values * 252
w = cp.Variable(sigma.shape[0])
cp.Problem(cp.Minimize(cp.quad_form(w, cp.psd_wrap(sigma))), [cp.sum(w) == 1, w >= 0]).solve(solver=cp.CLARABEL)
print(pd.Series(w.value, index=prices.columns).round(6).to_string())
