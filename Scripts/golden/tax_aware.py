#!/usr/bin/env python3
"""Golden values for Folio's tax-aware household optimizer (FolioTaxAware).

Generates seeded households (1-4 accounts, up to 60 securities, up to 8 lots per holding),
solves the continuous tax-aware program of Moehle, Kochenderfer, Boyd and Ang (JOTA 2021) with
cvxpy + Clarabel, an implementation independent of Folio's, and writes
Tests/FolioTaxAwareTests/Fixtures/tax_aware_golden.json: per case the problem in the JSON form
of Swift's `TaxAwareProblem` and the optimal objective.

The model (every variable a value in fractions of the household value T):
  b[a,s] >= 0 bought, 0 <= x[l] <= shares*price/T sold per lot;
  minimize lambda (w - w*)' S (w - w*) + taxWeight * sum_l rate_l (1 - basis_l/price) x[l] [taxable]
           + costRate (sum b + sum x) + impact/2 (sum b^2 + sum x^2)
           + taxWeight * sum_a,s drag[a,class s] * (held[a,s] + b[a,s] - sum_{l in a,s} x[l])  (drag is a yearly tax)
           + taxWeight * sum_a cashDrag[a] * cash after[a] / T
  s.t. (1+c) sum_s b[a,s] - (1-c) sum_{l in a} x[l] <= (cash + flow - reserve)/T per account,
       restrictions and wash-sale fixings (variables fixed at 0),
       net gain <= budget, turnover <= limit, class bands (when given).

Usage: python3 Scripts/golden/tax_aware.py [--cases 14] [--out PATH]
"""
import argparse
import json
import os
import sys

import cvxpy as cp
import numpy as np

CLASS_NAMES = ["us_large", "us_small", "intl_dev", "emerging", "us_bonds", "tips", "muni", "reits"]


def generate(seed, max_accounts=4, max_securities=60, max_lots=8, exact=False):
    """One seeded household problem as a dict in the JSON form of Swift's TaxAwareProblem.
    exact=True: exactly max_accounts accounts, each holding every one of max_securities
    securities in max_lots lots (the benchmark household)."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, len(CLASS_NAMES) + 1))
    classes = CLASS_NAMES[:k]
    vol = rng.uniform(0.03, 0.25, k)
    factors = rng.normal(size=(k, 2))
    corr = factors @ factors.T + np.diag(rng.uniform(0.3, 1.0, k))
    d = np.sqrt(np.diag(corr))
    corr = corr / np.outer(d, d)
    cov = corr * np.outer(vol, vol)
    cov = 0.5 * (cov + cov.T)
    target = rng.dirichlet(np.ones(k)) * rng.uniform(0.95, 1.0)

    n_sec = max_securities if exact else int(rng.integers(max(3, k, max_securities - 15), max_securities + 1))
    securities = []
    for s in range(n_sec):
        c = s % k if s < k else int(rng.integers(0, k))
        key = f"SEC{s:02d}"
        if s >= k and rng.random() < 0.15:
            key = f"group:{c}"  # substantially identical within the class
        securities.append({"symbol": f"SEC{s:02d}", "classIndex": c,
                           "price": float(np.round(rng.uniform(10, 300), 2)),
                           "washSaleKey": key, "tradable": bool(rng.random() > 0.03)})

    n_acc = max_accounts if exact else int(rng.integers(1, max_accounts + 1))
    accounts, lots = [], []
    for a in range(n_acc):
        taxable = a == 0 or rng.random() < 0.4
        drag = [0.0] * k
        if taxable:
            for c, name in enumerate(classes):
                if name in ("us_bonds", "tips", "reits"):
                    drag[c] = float(rng.uniform(0.001, 0.006))
                elif name != "muni":
                    drag[c] = float(rng.uniform(0.0, 0.0015))
        elif rng.random() < 0.5:
            for c, name in enumerate(classes):
                if name == "muni":
                    drag[c] = float(rng.uniform(0.002, 0.008))  # munis wasted in an IRA
        held = np.arange(n_sec) if exact else rng.choice(n_sec, size=int(rng.integers(1, n_sec + 1)), replace=False)
        value = 0.0
        for s in sorted(int(v) for v in held):
            price = securities[s]["price"]
            for j in range(max_lots if exact else int(rng.integers(1, max_lots + 1))):
                shares = float(rng.integers(1, 400))
                basis = float(np.round(price * np.exp(rng.normal(-0.1, 0.35)), 4))
                lots.append({"id": f"L{a}-{s}-{j}", "account": a, "security": s, "shares": shares,
                             "basisPerShare": basis, "longTerm": bool(rng.random() < 0.6)})
                value += shares * price
        cash = float(np.round(value * rng.uniform(0.0, 0.15), 2))
        flow = float(np.round(value * rng.uniform(-0.03, 0.1), 2)) if rng.random() < 0.3 else 0.0
        reserve = float(np.round(min(cash, value * 0.01) * rng.random(), 2))
        dnb = sorted(int(v) for v in rng.choice(n_sec, size=int(rng.integers(0, 3)), replace=False))
        dns = sorted(int(v) for v in rng.choice(n_sec, size=int(rng.integers(0, 3)), replace=False))
        accounts.append({"id": f"ACC{a}", "taxable": bool(taxable), "cash": cash, "flow": flow,
                         "reserve": reserve, "doNotBuy": dnb, "doNotSell": dns, "locationDrag": drag,
                         "cashDrag": float(rng.uniform(0.002, 0.01)) if taxable else 0.0})

    keys = sorted({s["washSaleKey"] for s in securities})
    problem = {
        "classes": classes, "covariance": cov.tolist(), "targetWeights": target.tolist(),
        "securities": securities, "accounts": accounts, "lots": lots,
        "shortTermRate": float(rng.uniform(0.22, 0.41)), "longTermRate": float(rng.uniform(0.0, 0.24)),
        "trackingWeight": float(np.exp(rng.uniform(np.log(1.0), np.log(1000.0)))),
        "taxWeight": float(np.exp(rng.uniform(np.log(0.01), np.log(3.0)))),
        "costRate": float(rng.uniform(0.0, 0.002)), "impact": float(np.exp(rng.uniform(np.log(0.002), np.log(0.05)))),
        "blockedBuyKeys": [k_ for k_ in keys if rng.random() < 0.05],
        "blockedLossSaleKeys": [k_ for k_ in keys if rng.random() < 0.05],
    }
    if rng.random() < 0.4:
        problem["netGainBudget"] = float(np.round(rng.uniform(-2000, 20000), 2))
    if rng.random() < 0.3:
        problem["turnoverLimit"] = float(rng.uniform(0.02, 0.3))
    if rng.random() < 0.3:
        problem["classBands"] = [[max(0.0, w - 0.08), min(1.0, w + 0.08)] for w in target]
    return problem


def household_value(p):
    return sum(a["cash"] for a in p["accounts"]) + sum(
        l["shares"] * p["securities"][l["security"]]["price"] for l in p["lots"])


def solve(p):
    """Solves the continuous program with cvxpy + Clarabel; returns (objective, status)."""
    T = household_value(p)
    k, S, A, L = len(p["classes"]), len(p["securities"]), len(p["accounts"]), len(p["lots"])
    cov = np.array(p["covariance"])
    target = np.array(p["targetWeights"])
    price = np.array([s["price"] for s in p["securities"]])
    cls = np.array([s["classIndex"] for s in p["securities"]])
    c_rate, impact = p["costRate"], p["impact"]

    b = cp.Variable((A, S))
    x = cp.Variable(L)
    cons = [b >= 0, x >= 0]
    held0 = np.zeros((A, S))
    for l in p["lots"]:
        held0[l["account"], l["security"]] += l["shares"] * price[l["security"]] / T
    # Membership matrices.
    sell_class = np.zeros((k, L))
    sell_acc = np.zeros((A, L))
    for i, l in enumerate(p["lots"]):
        sell_class[cls[l["security"]], i] = 1
        sell_acc[l["account"], i] = 1
    sec_class = np.zeros((S, k))
    sec_class[np.arange(S), cls] = 1
    w0 = held0.sum(axis=0) @ sec_class
    w = w0 + cp.sum(b, axis=0) @ sec_class - sell_class @ x

    blocked_buy = set(p.get("blockedBuyKeys", []))
    blocked_loss = set(p.get("blockedLossSaleKeys", []))
    fixed_b = np.zeros((A, S))
    for a, acc in enumerate(p["accounts"]):
        for s, sec in enumerate(p["securities"]):
            if not sec["tradable"] or s in acc["doNotBuy"] or sec["washSaleKey"] in blocked_buy:
                fixed_b[a, s] = 1
    ub = np.zeros(L)
    tax_coef = np.zeros(L)
    gain_coef = np.zeros(L)
    for i, l in enumerate(p["lots"]):
        sec = p["securities"][l["security"]]
        acc = p["accounts"][l["account"]]
        allowed = sec["tradable"] and l["security"] not in acc["doNotSell"]
        # A loss net of the spread (the engine's rule, TaxAwareProblem.isLossLot).
        if acc["taxable"] and l["basisPerShare"] > sec["price"] * (1 - p["costRate"]) and sec["washSaleKey"] in blocked_loss:
            allowed = False
        ub[i] = l["shares"] * sec["price"] / T if allowed else 0.0
        if acc["taxable"]:
            g = 1 - l["basisPerShare"] / sec["price"]
            gain_coef[i] = g
            tax_coef[i] = (p["longTermRate"] if l["longTerm"] else p["shortTermRate"]) * g
    cons += [x <= ub, cp.multiply(fixed_b, b) == 0]

    drag = np.array([a["locationDrag"] for a in p["accounts"]])  # A x k
    drag_sec = drag @ sec_class.T  # A x S
    drag_lot = np.array([drag[l["account"], cls[l["security"]]] for l in p["lots"]])
    cash_after = []
    for a, acc in enumerate(p["accounts"]):
        cash_after.append((acc["cash"] + acc["flow"]) / T - (1 + c_rate) * cp.sum(b[a, :]) + (1 - c_rate) * (sell_acc[a] @ x))
        cons.append((1 + c_rate) * cp.sum(b[a, :]) - (1 - c_rate) * (sell_acc[a] @ x)
                    <= (acc["cash"] + acc["flow"] - acc["reserve"]) / T)
    if p.get("netGainBudget") is not None:
        cons.append(gain_coef @ x <= p["netGainBudget"] / T)
    if p.get("turnoverLimit") is not None:
        cons.append(cp.sum(b) + cp.sum(x) <= 2 * p["turnoverLimit"])
    if p.get("classBands") is not None:
        bands = np.array(p["classBands"])
        cons += [w >= bands[:, 0], w <= bands[:, 1]]

    lam = p["trackingWeight"]
    objective = (lam * cp.quad_form(w - target, cp.psd_wrap(cov))
                 + p["taxWeight"] * (tax_coef @ x)
                 + c_rate * (cp.sum(b) + cp.sum(x)) + 0.5 * impact * (cp.sum_squares(b) + cp.sum_squares(x))
                 + p["taxWeight"] * (cp.sum(cp.multiply(drag_sec, held0 + b)) - drag_lot @ x)
                 + p["taxWeight"] * sum(acc["cashDrag"] * cash_after[a] for a, acc in enumerate(p["accounts"])))
    prob = cp.Problem(cp.Minimize(objective), cons)
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12,
               max_iter=500)
    if prob.status not in ("optimal",):
        return None, prob.status
    # Recompute the objective from the solution with plain numpy (no solver bookkeeping).
    bv = np.maximum(b.value, 0) * (1 - fixed_b)
    xv = np.clip(x.value, 0, ub)
    wv = w0 + bv.sum(axis=0) @ sec_class - sell_class @ xv
    d_ = wv - target
    obj = (lam * (d_ @ cov @ d_) + p["taxWeight"] * tax_coef @ xv + c_rate * (bv.sum() + xv.sum())
           + 0.5 * impact * ((bv ** 2).sum() + (xv ** 2).sum())
           + p["taxWeight"] * ((drag_sec * (held0 + bv)).sum() - drag_lot @ xv))
    for a, acc in enumerate(p["accounts"]):
        obj += p["taxWeight"] * acc["cashDrag"] * ((acc["cash"] + acc["flow"]) / T - (1 + c_rate) * bv[a].sum()
                                                   + (1 - c_rate) * (sell_acc[a] @ xv))
    return float(obj), prob.status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=14)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "Tests",
                                                       "FolioTaxAwareTests", "Fixtures", "tax_aware_golden.json"))
    args = parser.parse_args()
    cases, seed = [], 1000
    while len(cases) < args.cases:
        seed += 1
        big = len(cases) % 3 == 0  # every third case at the upper end of the sizes
        p = generate(seed, max_securities=60 if big else 25, max_lots=8 if big else 4)
        obj, status = solve(p)
        if obj is None:
            print(f"seed {seed}: {status}, skipped", file=sys.stderr)
            continue
        cases.append({"seed": seed, "problem": p, "optimalObjective": obj})
        print(f"seed {seed}: {len(p['accounts'])} accounts, {len(p['securities'])} securities, "
              f"{len(p['lots'])} lots, objective {obj:.12g}", file=sys.stderr)
    out = os.path.abspath(args.out)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"generator": "Scripts/golden/tax_aware.py", "solver": "cvxpy + Clarabel",
                   "cases": cases}, f, indent=1)
    os.replace(tmp, out)
    print(f"wrote {len(cases)} cases to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
