#!/usr/bin/env python3
"""Generate Folio's bundled SYNTHETIC sample data into Examples/Data/.

Everything written by this script is invented: prices, tickers, companies, clients,
holdings, questionnaire and capital market assumptions. Nothing here is real market data
or investment advice. The file formats are specified in Documentation/FileFormats.md.

Usage (from the repository root or anywhere):

    python3 Scripts/sample_data/generate.py            # write Examples/Data/
    python3 Scripts/sample_data/generate.py --out DIR  # write somewhere else
    python3 Scripts/sample_data/generate.py --check    # regenerate into a temporary
                                                       # folder and compare byte for byte

Determinism: every random draw comes from Python's `random.Random(SEED)` (Mersenne
Twister, whose `gauss` stream has been stable across CPython releases), numpy is used
only for element-wise arithmetic and cumulative sums (no BLAS reductions, whose summation
order can vary), and values are rounded to cents before they are written. Re-running
produces byte-identical files on the same platform; the output is committed anyway.

Dependencies: Python 3.9+ and numpy. PyYAML is used only to validate the YAML written,
when it is installed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import filecmp
import io
import math
import os
import random
import shutil
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

# The seed was picked among the first few dozen after 20251231 as the one whose path
# looks most like a plausible decade (broad-equity drawdown about -35% set by the crash,
# bonds' worst drawdown in 2022). Changing it changes every file.
SEED = 20251258
START = dt.date(2016, 1, 4)
END = dt.date(2025, 12, 31)
AS_OF = END
TRADING_DAYS = 252
T_DF = 5  # degrees of freedom of the Student-t shocks (mild fat tails)

CENT = Decimal("0.01")

# --------------------------------------------------------------------------------------
# Asset classes, factors, securities
# --------------------------------------------------------------------------------------

# id, display name, group (equity / fixed-income / real-assets / cash)
ASSET_CLASSES = [
    ("us-large-cap", "US large-cap equity", "equity"),
    ("us-small-cap", "US small-cap equity", "equity"),
    ("intl-developed", "International developed equity", "equity"),
    ("emerging-markets", "Emerging-markets equity", "equity"),
    ("us-aggregate-bond", "US aggregate bonds", "fixed-income"),
    ("short-treasury", "Short-term US Treasuries", "fixed-income"),
    ("tips", "Inflation-protected Treasuries (TIPS)", "fixed-income"),
    ("high-yield", "High-yield corporate bonds", "fixed-income"),
    ("reits", "Real estate investment trusts", "equity"),
    ("commodities", "Broad commodities", "real-assets"),
    ("gold", "Gold", "real-assets"),
    ("cash", "Cash and money market", "cash"),
]
CLASS_IDS = [c[0] for c in ASSET_CLASSES]

SECTORS = ["technology", "healthcare", "financials", "consumer", "industrials", "energy"]

# Annual volatilities of the (zero-mean) factors.
FACTOR_VOL = {
    "MKT": 0.15, "SIZE": 0.09, "INTL": 0.09, "EM": 0.12,
    "RATE": 0.05, "CREDIT": 0.04, "INFL": 0.03, "COMMOD": 0.16, "GOLD": 0.14, "RE": 0.12,
}
for _s in SECTORS:
    FACTOR_VOL["SEC_" + _s] = 0.10
FACTORS = list(FACTOR_VOL)

_SEC_EQ = {"SEC_" + s: 1.0 / 6.0 for s in SECTORS}  # an index fund holds every sector

# Funds: symbol, name, asset class, expected annual return (arithmetic), loadings,
# idiosyncratic annual vol, fractional shares allowed, starting price.
FUNDS = [
    ("FUSLC", "Folio Sample US Large Cap Index Fund", "us-large-cap", 0.085,
     dict(MKT=1.0, RATE=0.25, **_SEC_EQ), 0.010, False, 118.40),
    ("FUSTM", "Folio Sample US Total Market Index Fund", "us-large-cap", 0.087,
     dict(MKT=1.0, SIZE=0.12, RATE=0.25, **_SEC_EQ), 0.012, False, 64.10),
    ("FUSSC", "Folio Sample US Small Cap Index Fund", "us-small-cap", 0.095,
     dict(MKT=1.1, SIZE=1.0, RATE=0.2, **_SEC_EQ), 0.030, False, 71.25),
    ("FINTL", "Folio Sample International Developed Index Fund", "intl-developed", 0.072,
     dict(MKT=0.85, INTL=1.0, RATE=0.25), 0.020, False, 52.80),
    ("FIDEV", "Folio Sample Developed ex-US Equity Fund", "intl-developed", 0.073,
     dict(MKT=0.85, INTL=1.0, RATE=0.25), 0.025, False, 38.60),
    ("FEMKT", "Folio Sample Emerging Markets Index Fund", "emerging-markets", 0.080,
     dict(MKT=0.9, INTL=0.6, EM=1.0, RATE=0.2), 0.040, False, 33.90),
    ("FAGGB", "Folio Sample US Aggregate Bond Index Fund", "us-aggregate-bond", 0.035,
     dict(RATE=1.0, CREDIT=0.2), 0.008, False, 98.70),
    ("FBNDT", "Folio Sample Total Bond Market Fund", "us-aggregate-bond", 0.036,
     dict(RATE=1.05, CREDIT=0.25), 0.009, False, 76.30),
    ("FTSRY", "Folio Sample Short-Term Treasury Fund", "short-treasury", 0.025,
     dict(RATE=0.35), 0.005, False, 49.95),
    ("FTIPS", "Folio Sample Inflation-Protected Bond Fund", "tips", 0.033,
     dict(RATE=0.9, INFL=1.0), 0.010, False, 104.20),
    ("FHYLD", "Folio Sample High Yield Corporate Bond Fund", "high-yield", 0.055,
     dict(MKT=0.35, RATE=0.3, CREDIT=1.5), 0.025, False, 36.40),
    ("FREIT", "Folio Sample Real Estate Index Fund", "reits", 0.072,
     dict(MKT=0.75, RATE=0.8, RE=1.1), 0.050, False, 77.15),
    ("FCMDT", "Folio Sample Broad Commodity Strategy Fund", "commodities", 0.040,
     dict(MKT=0.3, INFL=1.0, COMMOD=1.0), 0.030, False, 14.85),
    ("FGOLD", "Folio Sample Gold Trust", "gold", 0.050,
     dict(MKT=0.08, RATE=0.3, INFL=0.5, GOLD=1.0), 0.020, False, 104.60),
    ("FMMKT", "Folio Sample Money Market Fund", "cash", 0.018,
     dict(), 0.003, True, 100.00),
]

# Stocks: symbol, name, sector, asset class. Loadings/vols are drawn from the seed.
STOCKS = [
    ("ACMEX", "Acmexa Compute Corp, Class A", "technology", "us-large-cap"),
    ("BYTRN", "Bytron Microdevices Inc", "technology", "us-large-cap"),
    ("CLDNV", "Cloudnova Software Inc", "technology", "us-large-cap"),
    ("QWRKS", "Qwerkstation Systems Inc", "technology", "us-small-cap"),
    ("ZYNTH", "Zynthetic Networks Corp", "technology", "us-large-cap"),
    ("HLXGN", "Helixgen Therapeutics Inc", "healthcare", "us-small-cap"),
    ("CURVO", "Curavo Health Group", "healthcare", "us-large-cap"),
    ("PLSMD", "Plasmed Devices Corp", "healthcare", "us-large-cap"),
    ("VTLNK", "Vitalynk Care Services Inc", "healthcare", "us-large-cap"),
    ("NRVXA", "Nervexa Biosciences Inc", "healthcare", "us-small-cap"),
    ("LDGRB", "Ledgerby Bancorp", "financials", "us-large-cap"),
    ("QRTRM", "Quartermoor Insurance Holdings", "financials", "us-large-cap"),
    ("VLTFN", "Vaultfin Payments Inc", "financials", "us-large-cap"),
    ("TRSTL", "Trestlewick Financial Corp", "financials", "us-small-cap"),
    ("BRKWD", "Brookwend Asset Management", "financials", "us-large-cap"),
    ("GRCRY", "Grocerly Markets Inc", "consumer", "us-large-cap"),
    ("SNKRZ", "Sneakerzo Apparel Co", "consumer", "us-large-cap"),
    ("BRWHS", "Brewhollow Beverages Inc", "consumer", "us-large-cap"),
    ("HMNST", "Homenstead Furnishings Inc", "consumer", "us-small-cap"),
    ("TOYBX", "Toyboxa Entertainment Corp", "consumer", "us-large-cap"),
    ("RVTCO", "Rivetco Industries Inc", "industrials", "us-large-cap"),
    ("GRDRL", "Girderline Construction Co", "industrials", "us-small-cap"),
    ("FRTWY", "Freightwey Logistics Corp", "industrials", "us-large-cap"),
    ("TRBNQ", "Turbonique Aerospace Inc", "industrials", "us-large-cap"),
    ("CNVYR", "Conveyra Automation Inc", "industrials", "us-large-cap"),
    ("DRLWL", "Drillwelt Energy Corp", "energy", "us-large-cap"),
    ("SOLRQ", "Solarique Power Inc", "energy", "us-small-cap"),
    ("WNDGT", "Windgatta Renewables Inc", "energy", "us-large-cap"),
    ("GSFLO", "Gasflowe Midstream Partners", "energy", "us-large-cap"),
    ("GRDPW", "Gridpowa Utilities Corp", "energy", "us-large-cap"),
]

# Deterministic market events, as extra log-returns spread evenly over a window
# (factor -> total log move). They shape the path; the random shocks sit on top.
EVENTS = [
    # The crash: about -35% for broad equities over about one month, like early 2020.
    ("2020-02-20", "2020-03-23", 3.2, dict(MKT=math.log(0.64), CREDIT=-0.10, RATE=0.035,
                                           COMMOD=-0.28, RE=-0.12, INFL=-0.04,
                                           GOLD=-0.04, SIZE=-0.06, EM=-0.04)),
    # The recovery over the following five months.
    ("2020-03-24", "2020-08-31", 1.6, dict(MKT=math.log(1.42), CREDIT=0.09, COMMOD=0.16,
                                           RE=0.06, INFL=0.05, GOLD=0.18, SIZE=0.04)),
    # Inflation and commodity surge, 2021 into mid 2022.
    ("2021-03-01", "2022-06-15", 1.0, dict(INFL=0.09, COMMOD=0.32)),
    # Rate shock and equity bear market in 2022; bonds' worst year of the decade.
    ("2022-01-03", "2022-10-14", 1.35, dict(MKT=-0.22, RATE=-0.15, RE=-0.08, EM=-0.06,
                                            CREDIT=-0.03, GOLD=-0.05)),
    ("2022-10-17", "2023-07-31", 1.1, dict(MKT=0.16, RATE=0.02)),
]


def business_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days, d = [], start
    while d <= end:
        if d.weekday() < 5:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def student_t(rng: random.Random, n: int) -> np.ndarray:
    """n unit-variance Student-t(T_DF) draws built from Gaussian draws only."""
    out = np.empty(n)
    scale = math.sqrt((T_DF - 2) / T_DF)
    for i in range(n):
        z = rng.gauss(0.0, 1.0)
        chi2 = 0.0
        for _ in range(T_DF):
            g = rng.gauss(0.0, 1.0)
            chi2 += g * g
        out[i] = z / math.sqrt(chi2 / T_DF) * scale
    return out


def make_stock_params(rng: random.Random):
    params = []
    for sym, name, sector, aclass in STOCKS:
        beta = rng.uniform(0.75, 1.35)
        sec = rng.uniform(0.8, 1.4)
        load = {"MKT": beta, "SEC_" + sector: sec}
        if aclass == "us-small-cap":
            load["SIZE"] = rng.uniform(0.6, 1.1)
        if sector == "energy":
            load["COMMOD"] = rng.uniform(0.25, 0.6)
            load["MKT"] = beta * 0.8
        if sector == "financials":
            load["RATE"] = -rng.uniform(0.3, 0.8)
        if sym == "GRDPW":  # a utility: low beta, rate sensitive
            load = {"MKT": 0.55, "SEC_energy": 0.5, "RATE": 0.9}
        target_vol = rng.uniform(0.17, 0.37)
        if sym == "GRDPW":
            target_vol = 0.19
        sys_var = sum((v * FACTOR_VOL[f]) ** 2 for f, v in load.items())
        idio = math.sqrt(max(target_vol ** 2 - sys_var, 0.08 ** 2))
        mu = rng.uniform(0.03, 0.16)
        price0 = round(math.exp(rng.uniform(math.log(15), math.log(420))), 2)
        params.append((sym, load, idio, mu, price0))
    return params


def simulate_prices(dates):
    rng = random.Random(SEED)
    n = len(dates)
    dt_year = 1.0 / TRADING_DAYS
    index = {d: i for i, d in enumerate(dates)}

    # Volatility regime multiplier: calm by default, spikes in the crash, decays after.
    regime = np.ones(n)
    for start, end, mult, _ in EVENTS:
        i0, i1 = index[dt.date.fromisoformat(start)], index[dt.date.fromisoformat(end)]
        regime[i0:i1 + 1] = np.maximum(regime[i0:i1 + 1], mult)
    crash_end = index[dt.date.fromisoformat("2020-03-23")]
    for k in range(1, 60):  # vol decays back after the crash
        if crash_end + k < n:
            regime[crash_end + k] = max(regime[crash_end + k], 1.0 + 2.2 * math.exp(-k / 15.0))

    # The random part of every factor is a "bridge": its shocks are de-meaned inside the
    # crash, recovery and 2022-23 windows (so those moves are exactly the scripted ones) and over
    # the rest of the history (so a factor's noise adds nothing over the decade). The
    # scripted events are offset by an equal and opposite drift over the whole history,
    # so they shape the path without changing a security's ten-year total, which is set
    # by its expected return alone.
    windows = []  # the non-overlapping event windows: crash, recovery, 2022, 2023
    for start, end, _mult, _moves in (EVENTS[0], EVENTS[1], EVENTS[3], EVENTS[4]):
        windows.append((index[dt.date.fromisoformat(start)], index[dt.date.fromisoformat(end)]))
    outside = np.ones(n, dtype=bool)
    outside[0] = False
    for i0, i1 in windows:
        outside[i0:i1 + 1] = False

    def bridge(x: np.ndarray) -> np.ndarray:
        x = x.copy()
        x[0] = 0.0
        for i0, i1 in windows:
            x[i0:i1 + 1] -= x[i0:i1 + 1].sum() / (i1 - i0 + 1)
        x[outside] -= x[outside].sum() / outside.sum()
        return x

    factor_ret = {}
    for f in FACTORS:
        shocks = student_t(rng, n)
        r = shocks * (FACTOR_VOL[f] * math.sqrt(dt_year)) * regime
        factor_ret[f] = bridge(r)
    for start, end, _, moves in EVENTS:
        i0, i1 = index[dt.date.fromisoformat(start)], index[dt.date.fromisoformat(end)]
        length = i1 - i0 + 1
        for f, total in moves.items():
            factor_ret[f][i0:i1 + 1] += total / length
            factor_ret[f][1:] -= total / (n - 1)

    stock_params = make_stock_params(rng)
    specs = []  # (symbol, loadings, idio vol, mu, start price)
    for sym, _name, _cls, mu, load, idio, _frac, p0 in FUNDS:
        specs.append((sym, load, idio, mu, p0))
    specs.extend(stock_params)

    prices = {}
    model = {}
    for sym, load, idio, mu, p0 in specs:
        shocks = student_t(rng, n)
        total_var = idio ** 2 + sum((v * FACTOR_VOL[f]) ** 2 for f, v in load.items())
        drift = (mu - 0.5 * total_var) * dt_year
        logret = np.full(n, drift) + bridge(shocks * (idio * math.sqrt(dt_year)) * regime)
        for f in FACTORS:  # fixed order: element-wise, deterministic
            if f in load:
                logret = logret + load[f] * factor_ret[f]
        logret[0] = 0.0
        cum = np.cumsum(logret)
        series = [round(p0 * math.exp(float(c)), 2) for c in cum]
        prices[sym] = [max(p, 0.01) for p in series]
        model[sym] = (load, idio, mu)
    return prices, model


# --------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------

def dec(x) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def money(x: Decimal) -> str:
    """Custodian style: $1,234.56, negatives in parentheses."""
    x = Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)
    s = "${:,.2f}".format(abs(x))
    return "(" + s + ")" if x < 0 else s


def us_date(d: dt.date) -> str:
    return d.strftime("%m/%d/%Y")


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_csv(path: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(r)
    write_text(path, buf.getvalue())


def fmt_weight(x: Fraction) -> str:
    s = "{:.4f}".format(float(x)).rstrip("0")
    return s + "0" if s.endswith(".") else s


# --------------------------------------------------------------------------------------
# Households
# --------------------------------------------------------------------------------------

class Ctx:
    def __init__(self, dates, prices, fractional, names, classes):
        self.dates = dates
        self.prices = prices
        self.index = {d: i for i, d in enumerate(dates)}
        self.fractional = fractional
        self.names = names
        self.classes = classes

    def last(self, sym) -> Decimal:
        return dec(self.prices[sym][-1])

    def on(self, sym, d) -> Decimal:
        return dec(self.prices[sym][self.index[d]])

    def nearest(self, d: dt.date) -> dt.date:
        while d not in self.index:
            d += dt.timedelta(days=1)
        return d


def make_lots(ctx: Ctx, rng: random.Random, sym: str, value: float, nlots: int,
              first: str, last: str, want_loss: int = 0, short_term: int = 0):
    """Split about `value` dollars of `sym` into lots bought between two dates.

    want_loss lots are placed at the highest close in a random sub-window (a loss when the
    price has fallen since); short_term lots are bought after 2025-01-02 (held one year or
    less at the as-of date)."""
    d0, d1 = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    i0, i1 = ctx.index[ctx.nearest(d0)], ctx.index[ctx.nearest(d1)]
    st0 = ctx.index[ctx.nearest(dt.date(2025, 1, 6))]
    st1 = ctx.index[ctx.nearest(dt.date(2025, 12, 12))]
    series = ctx.prices[sym]
    chosen = []
    for k in range(nlots):
        if k < short_term:
            chosen.append(rng.randint(st0, st1))
        elif k < short_term + want_loss:
            lo = rng.randint(i0, max(i0, i1 - 120))
            hi = min(i1, lo + rng.randint(60, 400))
            j = max(range(lo, hi + 1), key=lambda t: series[t])
            chosen.append(j)
        else:
            chosen.append(rng.randint(i0, i1))
    chosen = sorted(set(chosen))
    weights = [rng.uniform(0.5, 1.5) for _ in chosen]
    total_w = sum(weights)
    price_now = float(ctx.last(sym))
    lots = []
    for j, w in zip(chosen, weights):
        v = value * w / total_w
        if ctx.fractional[sym]:
            qty = Decimal(str(round(v / price_now, 3)))
        else:
            qty = Decimal(max(1, int(round(v / price_now))))
        buy = ctx.on(sym, ctx.dates[j])
        lots.append((ctx.dates[j], qty, (qty * buy).quantize(CENT, rounding=ROUND_HALF_UP)))
    return lots


def holdings_rows(ctx: Ctx, accounts):
    """accounts: list of (number, type, cash, [(sym, lots)])."""
    rows = [["Account Number", "Account Type", "Symbol", "Description", "Quantity", "Price",
             "Cost Basis Total", "Date Acquired", "Asset Class"]]
    basis_total = Decimal(0)
    for number, atype, cash, positions in accounts:
        for sym, lots in positions:
            for d, qty, basis in lots:
                q = "{:,}".format(qty) if qty == qty.to_integral_value() else "{:,.3f}".format(qty)
                rows.append([number, atype, sym, ctx.names[sym], q, money(ctx.last(sym)),
                             money(basis), us_date(d), ctx.classes[sym]])
                basis_total += basis
        rows.append([number, atype, "CASH", "Cash & Sweep Balance", "{:,.2f}".format(cash),
                     "$1.00", "--", "--", "cash"])
    rows.append([])
    rows.append(["Total", "", "", "", "", "", money(basis_total), "", ""])
    return rows


def market_value(ctx, accounts):
    mv = {}
    for number, _t, cash, positions in accounts:
        mv.setdefault("CASH", Decimal(0))
        mv["CASH"] += cash
        for sym, lots in positions:
            for _d, qty, _b in lots:
                mv[sym] = mv.get(sym, Decimal(0)) + qty * ctx.last(sym)
    return mv


# --------------------------------------------------------------------------------------
# YAML documents (written by hand so the layout and comments are exactly as shown)
# --------------------------------------------------------------------------------------

QUESTIONNAIRE = """\
# Folio's bundled default risk-tolerance questionnaire.
# Written for Folio's sample data; not taken from any published questionnaire.
# Format: Documentation/FileFormats.md, "questionnaire.yaml".
#
# Scoring: each answer scores 0 (least risk) to 10 (most risk). For each kind separately,
#   score(kind) = 100 * sum(weight * answer score) / (10 * sum(weight))
# over the questions of that kind, giving willingness and capacity on 0-100. The lower of
# the two governs (willingness when they are equal); its category is the client's risk
# category.
id: folio-default
version: 1
title: Folio default risk-tolerance questionnaire
categories:   # a governing score s falls in the last category whose min_score <= s
  - {id: conservative, min_score: 0}
  - {id: moderately-conservative, min_score: 20}
  - {id: moderate, min_score: 40}
  - {id: moderately-aggressive, min_score: 60}
  - {id: aggressive, min_score: 80}
questions:
  - id: reaction-to-decline
    kind: willingness
    weight: 3
    text: >-
      Markets fall broadly and, over three months, your portfolio loses a fifth of its
      value. Nothing about your own situation has changed. What are you most likely to do?
    answers:
      - {id: a, score: 0, text: Move everything to cash so it cannot fall further}
      - {id: b, score: 3, text: Sell part of it and wait for things to settle}
      - {id: c, score: 7, text: Leave it alone and stick to the plan}
      - {id: d, score: 10, text: Add money while prices are lower}
  - id: range-of-outcomes
    kind: willingness
    weight: 2
    text: >-
      Here are five ways a $100,000 portfolio might end a single year, each shown as a
      bad year and a good year. Which range would you choose to live with?
    answers:
      - {id: a, score: 0, text: "Between $98,000 and $105,000"}
      - {id: b, score: 3, text: "Between $93,000 and $110,000"}
      - {id: c, score: 5, text: "Between $88,000 and $116,000"}
      - {id: d, score: 8, text: "Between $81,000 and $124,000"}
      - {id: e, score: 10, text: "Between $72,000 and $133,000"}
  - id: describe-yourself
    kind: willingness
    weight: 2
    text: Which sentence sounds most like you when you think about investing?
    answers:
      - {id: a, score: 0, text: Protecting what I have matters more than making it grow}
      - {id: b, score: 3, text: I accept small dips for slightly better growth}
      - {id: c, score: 6, text: I want a balance between growth and steadiness}
      - {id: d, score: 8, text: Growth comes first; I can sit through bad years}
      - {id: e, score: 10, text: I want the most growth and shrug off large swings}
  - id: coin-flip
    kind: willingness
    weight: 1
    text: >-
      You may take a guaranteed $2,000, or flip a coin: heads pays $5,000, tails pays
      nothing. Which do you take?
    answers:
      - {id: a, score: 1, text: "The guaranteed $2,000"}
      - {id: b, score: 5, text: It depends on my mood that day}
      - {id: c, score: 9, text: The coin flip}
  - id: checking-habit
    kind: willingness
    weight: 1
    text: After a month in which your portfolio fell 8%, how would you feel opening the statement?
    answers:
      - {id: a, score: 0, text: Anxious enough to lose sleep over it}
      - {id: b, score: 4, text: "Uneasy, and I would call my advisor"}
      - {id: c, score: 7, text: Disappointed but calm}
      - {id: d, score: 10, text: Unbothered; that is what markets do}
  - id: investing-experience
    kind: willingness
    weight: 1
    text: How much experience do you have holding investments whose value moves daily?
    answers:
      - {id: a, score: 1, text: None; savings accounts and CDs only}
      - {id: b, score: 4, text: A workplace plan I rarely look at}
      - {id: c, score: 7, text: "Several years of funds or stocks, through at least one bad year"}
      - {id: d, score: 10, text: "Many years, including a large decline I held through"}
  - id: time-until-withdrawals
    kind: capacity
    weight: 3
    text: When do you expect to start taking substantial withdrawals from this money?
    answers:
      - {id: a, score: 0, text: Within 3 years}
      - {id: b, score: 3, text: In 3 to 5 years}
      - {id: c, score: 6, text: In 6 to 10 years}
      - {id: d, score: 8, text: In 11 to 20 years}
      - {id: e, score: 10, text: More than 20 years from now}
  - id: income-security
    kind: capacity
    weight: 2
    text: How secure is your household's income over the next five years?
    answers:
      - {id: a, score: 0, text: "Uncertain, or we rely on this portfolio for income"}
      - {id: b, score: 4, text: Somewhat secure; a job change or slowdown would hurt}
      - {id: c, score: 7, text: "Secure, from a stable salary or a pension"}
      - {id: d, score: 10, text: "Very secure, with several independent sources"}
  - id: emergency-savings
    kind: capacity
    weight: 1
    text: Outside this portfolio, how many months of essential expenses could you cover?
    answers:
      - {id: a, score: 0, text: Less than one month}
      - {id: b, score: 3, text: One to three months}
      - {id: c, score: 6, text: Three to six months}
      - {id: d, score: 10, text: More than six months}
  - id: annual-withdrawal-rate
    kind: capacity
    weight: 2
    text: Over the next five years, what share of this portfolio do you expect to withdraw each year?
    answers:
      - {id: a, score: 0, text: More than 6%}
      - {id: b, score: 3, text: 4% to 6%}
      - {id: c, score: 6, text: 1% to 4%}
      - {id: d, score: 10, text: "Nothing; I am still adding money"}
"""

# Parsed view of the questionnaire used by the generator for validation and the README.
Q_KIND_WEIGHT = {
    "reaction-to-decline": ("willingness", 3, {"a": 0, "b": 3, "c": 7, "d": 10}),
    "range-of-outcomes": ("willingness", 2, {"a": 0, "b": 3, "c": 5, "d": 8, "e": 10}),
    "describe-yourself": ("willingness", 2, {"a": 0, "b": 3, "c": 6, "d": 8, "e": 10}),
    "coin-flip": ("willingness", 1, {"a": 1, "b": 5, "c": 9}),
    "checking-habit": ("willingness", 1, {"a": 0, "b": 4, "c": 7, "d": 10}),
    "investing-experience": ("willingness", 1, {"a": 1, "b": 4, "c": 7, "d": 10}),
    "time-until-withdrawals": ("capacity", 3, {"a": 0, "b": 3, "c": 6, "d": 8, "e": 10}),
    "income-security": ("capacity", 2, {"a": 0, "b": 4, "c": 7, "d": 10}),
    "emergency-savings": ("capacity", 1, {"a": 0, "b": 3, "c": 6, "d": 10}),
    "annual-withdrawal-rate": ("capacity", 2, {"a": 0, "b": 3, "c": 6, "d": 10}),
}
CATEGORIES = ["conservative", "moderately-conservative", "moderate",
              "moderately-aggressive", "aggressive"]


def score_answers(answers: dict) -> tuple[Fraction, Fraction, str, str]:
    tot = {"willingness": [Fraction(0), Fraction(0)], "capacity": [Fraction(0), Fraction(0)]}
    for qid, (kind, w, scores) in Q_KIND_WEIGHT.items():
        a = answers[qid]
        tot[kind][0] += w * scores[a]
        tot[kind][1] += w
    will = 100 * tot["willingness"][0] / (10 * tot["willingness"][1])
    cap = 100 * tot["capacity"][0] / (10 * tot["capacity"][1])
    gov = min(will, cap)
    cat = CATEGORIES[min(4, int(gov // 20))]
    governs = "capacity" if cap < will else "willingness"
    return will, cap, cat, governs


MODELS = {  # class order = CLASS_IDS
    "conservative":            [12, 2, 5, 1, 38, 15, 10, 4, 2, 0, 3, 8],
    "moderately-conservative": [22, 4, 9, 2, 33, 8, 8, 4, 3, 1, 3, 3],
    "moderate":                [30, 6, 13, 4, 25, 4, 5, 3, 4, 2, 3, 1],
    "moderately-aggressive":   [37, 8, 16, 6, 16, 2, 2, 3, 5, 2, 2, 1],
    "aggressive":              [44, 10, 19, 8, 6, 0, 0, 2, 5, 2, 2, 2],
}
VOL_BANDS = {  # annual volatility band [min, max) of each risk category
    "conservative": (0.0, 0.055),
    "moderately-conservative": (0.055, 0.078),
    "moderate": (0.078, 0.1),
    "moderately-aggressive": (0.1, 0.125),
    "aggressive": (0.125, 0.3),
}
GLIDE = [(0, 0.30), (5, 0.40), (10, 0.55), (15, 0.68), (20, 0.78), (25, 0.85), (30, 0.90)]
PRIMARY_FUND = {
    "us-large-cap": ("FUSLC", ["FUSTM"]), "us-small-cap": ("FUSSC", []),
    "intl-developed": ("FINTL", ["FIDEV"]), "emerging-markets": ("FEMKT", []),
    "us-aggregate-bond": ("FAGGB", ["FBNDT"]), "short-treasury": ("FTSRY", []),
    "tips": ("FTIPS", []), "high-yield": ("FHYLD", []), "reits": ("FREIT", []),
    "commodities": ("FCMDT", []), "gold": ("FGOLD", []), "cash": ("CASH", ["FMMKT"]),
}


def cma_from_model(model):
    """Implied annual expected returns, vols and correlations of the primary funds."""
    syms = [PRIMARY_FUND[c][0] if c != "cash" else "FMMKT" for c in CLASS_IDS]
    k = len(syms)
    cov = [[0.0] * k for _ in range(k)]
    for a in range(k):
        la, ia, _ = model[syms[a]]
        for b in range(k):
            lb, ib, _ = model[syms[b]]
            c = sum(la.get(f, 0.0) * lb.get(f, 0.0) * FACTOR_VOL[f] ** 2 for f in FACTORS)
            if a == b:
                c += ia ** 2
            cov[a][b] = c
    vols = [math.sqrt(cov[a][a]) for a in range(k)]
    corr = [[round(cov[a][b] / (vols[a] * vols[b]), 2) for b in range(k)] for a in range(k)]
    for a in range(k):
        corr[a][a] = 1.0
    mus = [model[s][2] for s in syms]
    return [round(m, 3) for m in mus], [round(v, 3) for v in vols], corr


def cma_yaml(mus, vols, corr) -> str:
    out = [
        "# ILLUSTRATIVE capital market assumptions for Folio's SYNTHETIC sample data.",
        "# These numbers were invented for examples and tests (they are the parameters the",
        "# sample-data generator used). They are NOT a forecast and NOT investment advice.",
        "# Edit freely. Format: Documentation/FileFormats.md, \"capital-market-assumptions.yaml\".",
        "illustrative: true",
        "name: Folio sample assumptions (illustrative)",
        "as_of: \"2025-12-31\"",
        "currency: USD",
        "horizon_years: 10",
        "# Annual arithmetic expected returns and annual volatilities, as fractions (0.07 = 7%).",
        "asset_classes:",
    ]
    for c, m, v in zip(CLASS_IDS, mus, vols):
        out.append(f"  - {{id: {c}, expected_return: {m:.3f}, volatility: {v:.3f}}}")
    out.append("# Correlations: rows and columns in the order of asset_classes above.")
    out.append("correlations:")
    for c, row in zip(CLASS_IDS, corr):
        out.append("  - [" + ", ".join(f"{x:5.2f}" for x in row) + "]  # " + c)
    return "\n".join(out) + "\n"


def models_yaml() -> str:
    out = [
        "# Folio's bundled model portfolios (editable). SYNTHETIC sample data: the funds are",
        "# fictional. Format: Documentation/FileFormats.md, \"models.yaml\".",
        "#",
        "# asset_classes: every class a model may use, its group (equity, fixed-income,",
        "# real-assets, cash; the glide path moves weight between equity and the rest) and",
        "# the fund that implements it (CASH = uninvested cash), with alternates for",
        "# tax-loss harvesting.",
        "asset_classes:",
    ]
    for cid, name, group in ASSET_CLASSES:
        prim, alts = PRIMARY_FUND[cid]
        alt = "[" + ", ".join(alts) + "]"
        out.append(f"  {cid}: {{name: \"{name}\", group: {group}, fund: {prim}, alternates: {alt}}}")
    out.append("")
    out.append("# Annual volatility band of each risk category, [min, max), used to pick an")
    out.append("# efficient-frontier portfolio for a client and for suitability warnings.")
    out.append("risk_categories:")
    for cat in CATEGORIES:
        lo, hi = VOL_BANDS[cat]
        out.append(f"  {cat}: {{min_volatility: {lo}, max_volatility: {hi}}}")
    out.append("")
    out.append("# One asset-class mix per risk category; weights sum to exactly 1.")
    out.append("models:")
    for cat in CATEGORIES:
        out.append(f"  {cat}:")
        for cid, w in zip(CLASS_IDS, MODELS[cat]):
            if w:
                out.append(f"    {cid}: {fmt_weight(Fraction(w, 100))}")
    out.append("")
    out.append("# Default glide path: the equity share allowed at a number of years before the")
    out.append("# goal date. Linear between points; flat beyond the first and last point.")
    out.append("# apply: cap -> a model's equity share is lowered to the glide path's value when")
    out.append("# it is higher (never raised); the equity classes shrink in proportion and the")
    out.append("# other classes grow in proportion to their model weights.")
    out.append("glide_path:")
    out.append("  apply: cap")
    out.append("  interpolation: linear")
    out.append("  points:")
    for y, e in GLIDE:
        out.append(f"    - {{years_to_goal: {y}, equity_share: {e:.2f}}}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Household definitions
# --------------------------------------------------------------------------------------

def build_households(ctx: Ctx):
    rng = random.Random(SEED + 1)
    hh = {}

    # (a) young accumulator: one taxable account, monthly-ish buys since 2019.
    acct = "Z41-583920"
    positions = []
    for sym, value, n, loss in [("FUSLC", 31500, 4, 1), ("FINTL", 7200, 3, 1),
                                ("FEMKT", 6900, 3, 1), ("FAGGB", 3100, 2, 1),
                                ("CLDNV", 6400, 2, 0), ("DRLWL", 2300, 1, 0)]:
        positions.append((sym, make_lots(ctx, rng, sym, value, n, "2019-06-03", "2025-11-28",
                                         want_loss=loss, short_term=1 if n > 2 else 0)))
    hh["young-accumulator"] = [(acct, "Taxable", Decimal("4218.37"), positions)]

    # (b) couple: joint taxable, traditional IRA, Roth IRA; many lots.
    tax, ira, roth = "Z70-114466", "Z70-228801", "Z70-339017"
    tpos = []
    for sym, value, n, loss, st in [
            ("FUSLC", 262000, 6, 2, 1), ("FINTL", 88000, 5, 2, 1), ("FEMKT", 29000, 4, 2, 1),
            ("FAGGB", 41000, 4, 3, 1), ("FGOLD", 26000, 3, 1, 1),
            ("ACMEX", 71000, 3, 0, 0), ("BYTRN", 24000, 4, 2, 1), ("HLXGN", 19500, 3, 2, 1),
            ("LDGRB", 18200, 3, 1, 1), ("GRCRY", 14800, 3, 1, 0), ("FRTWY", 12100, 3, 2, 1),
            ("TOYBX", 9800, 3, 2, 1)]:
        first = "2016-01-04" if sym == "ACMEX" else "2016-03-01"
        last = "2017-06-30" if sym == "ACMEX" else "2025-12-12"
        tpos.append((sym, make_lots(ctx, rng, sym, value, n, first, last,
                                    want_loss=loss, short_term=st)))
    ipos = []
    for sym, value, n in [("FAGGB", 182000, 5), ("FHYLD", 41000, 3), ("FTIPS", 21000, 3),
                          ("FREIT", 46000, 4), ("FUSLC", 151000, 5), ("FINTL", 59000, 4),
                          ("FMMKT", 20350, 2)]:
        ipos.append((sym, make_lots(ctx, rng, sym, value, n, "2016-02-01", "2025-11-28",
                                    want_loss=1, short_term=1)))
    rpos = []
    for sym, value, n in [("FUSSC", 39500, 4), ("FEMKT", 45200, 4), ("FUSLC", 70300, 4)]:
        rpos.append((sym, make_lots(ctx, rng, sym, value, n, "2017-01-03", "2025-11-28",
                                    want_loss=1, short_term=1)))
    # The Roth's FEMKT buy of 2025-12-19 that policy.yaml lists as a recent transaction.
    buy_day = dt.date(2025, 12, 19)
    for i, (sym, lots) in enumerate(rpos):
        if sym == "FEMKT":
            lots = lots + [(buy_day, Decimal(40), (40 * ctx.on("FEMKT", buy_day)).quantize(CENT))]
            rpos[i] = (sym, sorted(lots))
    hh["couple"] = [(tax, "Taxable", Decimal("15372.90"), tpos),
                    (ira, "Traditional IRA", Decimal("4980.12"), ipos),
                    (roth, "Roth IRA", Decimal("1865.44"), rpos)]

    # (c) retiree: taxable + traditional IRA, drawing income.
    tax, ira = "Z93-640275", "Z93-771508"
    tpos = []
    for sym, value, n in [("FUSLC", 141000, 4), ("FINTL", 39500, 3), ("FAGGB", 61000, 3),
                          ("FTSRY", 40200, 2), ("FMMKT", 50125, 2), ("GRDPW", 30400, 3),
                          ("QRTRM", 17600, 2)]:
        tpos.append((sym, make_lots(ctx, rng, sym, value, n, "2016-01-04", "2025-10-31",
                                    want_loss=1, short_term=1 if n > 2 else 0)))
    ipos = []
    for sym, value, n in [("FAGGB", 298000, 4), ("FTIPS", 61000, 3), ("FHYLD", 49500, 3),
                          ("FUSLC", 252000, 4), ("FREIT", 40600, 2), ("FINTL", 60300, 3)]:
        ipos.append((sym, make_lots(ctx, rng, sym, value, n, "2016-01-04", "2025-10-31",
                                    want_loss=1, short_term=1)))
    hh["retiree"] = [(tax, "Taxable", Decimal("12044.85"), tpos),
                     (ira, "Traditional IRA", Decimal("15402.60"), ipos)]
    return hh


SIMPLE_TARGETS = {
    "young-accumulator": [("FUSLC", "0.50"), ("FUSSC", "0.10"), ("FINTL", "0.20"),
                          ("FEMKT", "0.10"), ("FAGGB", "0.08"), ("CASH", "0.02")],
    "retiree": [("FUSLC", "0.28"), ("FINTL", "0.10"), ("FAGGB", "0.30"), ("FTSRY", "0.10"),
                ("FTIPS", "0.08"), ("FHYLD", "0.04"), ("FREIT", "0.04"), ("FMMKT", "0.02"),
                ("CASH", "0.04")],
}

COUPLE_CLASSES = [  # class, weight, primary, alternates
    ("us-large-cap", "0.33", "FUSLC", ["FUSTM"]),
    ("us-small-cap", "0.07", "FUSSC", []),
    ("intl-developed", "0.14", "FINTL", ["FIDEV"]),
    ("emerging-markets", "0.06", "FEMKT", []),
    ("us-aggregate-bond", "0.20", "FAGGB", ["FBNDT"]),
    ("tips", "0.05", "FTIPS", []),
    ("high-yield", "0.03", "FHYLD", []),
    ("reits", "0.05", "FREIT", []),
    ("gold", "0.03", "FGOLD", []),
    ("cash", "0.04", "CASH", ["FMMKT"]),
]


# The household's name each targets file gives (`name:`; the HTML report's title).
TARGET_NAMES = {"couple": "Whitcombe-Ferris household", "retiree": "Margarethe Lindqvist-Osei",
                "young-accumulator": "Riley Okonkwo-Hart"}


def targets_simple_yaml(name: str) -> str:
    lines = [
        f"# Target for the SYNTHETIC sample household '{name}' (fictional tickers).",
        "# Simple form: weights by security; CASH is uninvested cash. Weights sum to exactly 1.",
        f"name: {TARGET_NAMES[name]}     # the report's title",
        "targets:",
    ]
    for sym, w in SIMPLE_TARGETS[name]:
        lines.append(f"  {sym}: {w}")
    return "\n".join(lines) + "\n"


def targets_couple_yaml() -> str:
    lines = [
        "# Household target for the SYNTHETIC sample household 'couple' (fictional tickers).",
        "# Asset-class form: a weight per asset class, the security that implements it",
        "# (primary) and alternates (used for tax-loss harvesting and when the primary is",
        "# restricted or in a wash-sale window). Held securities of a class that are neither",
        "# primary nor alternate (here the single stocks, class us-large-cap or us-small-cap)",
        "# count toward their class. Weights sum to exactly 1.",
        f"name: {TARGET_NAMES['couple']}     # the report's title",
        "asset_classes:",
    ]
    for cid, w, prim, alts in COUPLE_CLASSES:
        lines.append(f"  {cid}:")
        lines.append(f"    weight: {w}")
        lines.append(f"    primary: {prim}")
        if alts:
            lines.append(f"    alternates: [{', '.join(alts)}]")
    return "\n".join(lines) + "\n"


def policy_yaml(name: str, accounts, ctx: Ctx) -> str:
    acct = {a[1]: a[0] for a in accounts}
    # The couple's recent trades, at the closes of their dates: a FINTL lot bought at
    # 2025's highest close was sold at a loss on 2025-12-15; FEMKT was bought on 2025-12-19.
    sell_day, buy_day = dt.date(2025, 12, 15), dt.date(2025, 12, 19)
    sell_px, buy_px = ctx.on("FINTL", sell_day), ctx.on("FEMKT", buy_day)
    i0 = ctx.index[ctx.nearest(dt.date(2025, 1, 2))]
    high = max(dec(p) for p in ctx.prices["FINTL"][i0:ctx.index[sell_day]])
    wash_loss = (120 * (sell_px - high)).quantize(CENT)
    wash_until = sell_day + dt.timedelta(days=31)
    if name == "young-accumulator":
        return f"""\
# Rebalancing policy for the SYNTHETIC sample household 'young-accumulator'.
# Format: Documentation/FileFormats.md, "policy.yaml". Every field is optional.
trigger: either              # calendar | bands | either | both
calendar:
  frequency: semi-annual     # monthly | quarterly | semi-annual | annual
  last_rebalance: "2025-06-30"
bands:
  absolute: 0.05             # 5 percentage points, as a fraction of the portfolio
  relative: 0.25             # 25% of the target weight (the 5/25 rule)
mode: to-target              # to-target | to-band-edge | cash-flow-only
cash:
  reserve_amount: 500.00     # dollars kept uninvested per account
  pending_flows:
    - account: "{acct['Taxable']}"
      amount: 1500.00        # positive = deposit, negative = withdrawal
      note: Monthly savings deposit
trading:
  min_trade: 100.00
  invest_leftover_cash: true
costs:
  commission_per_trade: 0.00
  spread_bps: 3
taxes:
  lot_method: fifo           # fifo | lifo | highest-cost | tax-minimizing | specific
  short_term_rate: 0.29
  long_term_rate: 0.20
wash_sale:
  enabled: true
  window_days: 30
tax_loss_harvesting:
  enabled: false
"""
    if name == "couple":
        return f"""\
# Rebalancing policy for the SYNTHETIC sample household 'couple'.
# Format: Documentation/FileFormats.md, "policy.yaml". Every field is optional.
trigger: either
calendar:
  frequency: quarterly
  last_rebalance: "2025-09-30"
bands:
  absolute: 0.05
  relative: 0.25
mode: to-target
cash:
  reserve_percent: 0.005     # 0.5% of each account's value kept in cash
  reserve_amount: 1000.00    # and at least this much; the larger of the two applies
trading:
  min_trade: 250.00
  invest_leftover_cash: true
costs:
  commission_per_trade: 0.00
  spread_bps: 2
taxes:
  lot_method: tax-minimizing
  short_term_rate: 0.37      # combined federal + state marginal rates on realized gains
  long_term_rate: 0.238
  max_net_gain: 15000.00     # tax budget: cap on net realized gains in taxable accounts
wash_sale:
  enabled: true
  window_days: 30
  recent_transactions:       # trades of the last 30 days; buys are also lots in holdings.csv
    - account: "{acct['Taxable']}"
      symbol: FINTL
      side: sell
      quantity: 120
      price: {sell_px}
      date: "{sell_day.isoformat()}"
      realized_gain: {wash_loss}   # a loss: FINTL may not be bought before {wash_until.isoformat()}
    - account: "{acct['Roth IRA']}"
      symbol: FEMKT
      side: buy
      quantity: 40
      price: {buy_px}
      date: "{buy_day.isoformat()}"
tax_loss_harvesting:
  enabled: true
  min_loss: 1000.00          # harvest a lot when its unrealized loss is at least this
  min_loss_percent: 0.05     # ... and at least this fraction of its cost basis
restrictions:
  - account: "{acct['Taxable']}"
    do_not_sell: [ACMEX]     # former employer's stock, very low basis
  - do_not_buy: [TOYBX]      # no account field: applies to every account
asset_location:              # where the household target's classes go first
  tax_deferred: [us-aggregate-bond, high-yield, tips, reits]
  tax_exempt: [us-small-cap, emerging-markets]
  taxable: [us-large-cap, intl-developed, gold, cash]
"""
    if name == "retiree":
        return f"""\
# Rebalancing policy for the SYNTHETIC sample household 'retiree' (drawing income).
# Format: Documentation/FileFormats.md, "policy.yaml". Every field is optional.
trigger: either
calendar:
  frequency: annual
  last_rebalance: "2024-12-31"
bands:
  absolute: 0.04
  relative: 0.20
mode: to-target
cash:
  reserve_amount: 10000.00
  pending_flows:
    - account: "{acct['Traditional IRA']}"
      amount: -42000.00      # withdrawal: next year's required distribution and income
      note: Annual IRA distribution for living expenses
    - account: "{acct['Taxable']}"
      amount: -6000.00
      note: Property tax due in January
trading:
  min_trade: 500.00
  invest_leftover_cash: false
costs:
  commission_per_trade: 4.95
  spread_bps: 2
taxes:
  lot_method: highest-cost
  short_term_rate: 0.27
  long_term_rate: 0.15
wash_sale:
  enabled: true
  window_days: 30
tax_loss_harvesting:
  enabled: false
"""
    raise KeyError(name)


PROFILES = {
    "young-accumulator": dict(
        client="""\
client:
  name: Riley Okonkwo-Hart
  birth_year: 1996
  household_income: 92000.00
  filing_status: single
  dependents: 0
  retirement_age: 65
horizon_years: 35""",
        tax="""\
tax_rates:                    # combined federal + state marginal rates
  ordinary_income: 0.29
  short_term_gains: 0.29
  long_term_gains: 0.20""",
        constraints="""\
constraints:
  exclude_sectors: [energy]   # a values-based preference: no energy companies
  exclude_symbols: []
  asset_class_bounds:
    emerging-markets: {max: 0.12}
  max_security_weight: 0.60""",
        answers={"reaction-to-decline": "c", "range-of-outcomes": "d",
                 "describe-yourself": "d", "coin-flip": "c", "checking-habit": "c",
                 "investing-experience": "b", "time-until-withdrawals": "e",
                 "income-security": "c", "emergency-savings": "b",
                 "annual-withdrawal-rate": "d"},
        goals="""\
inflation: 0.025
goals:
  - name: Retirement
    target_amount: 1000000.00
    amount_basis: today        # today's money, grown by inflation to the target date
    target_date: "2061-06-30"
    priority: need
    set_aside: 40000.00        # part of the current portfolio earmarked for this goal
    contributions:
      amount: 1500.00
      frequency: monthly
      annual_growth: 0.03
  - name: Home down payment
    target_amount: 80000.00
    amount_basis: nominal
    target_date: "2030-09-01"
    priority: want
    set_aside: 15000.00
    contributions:
      amount: 1100.00
      frequency: monthly
      annual_growth: 0.0
  - name: Sabbatical year
    target_amount: 45000.00
    amount_basis: today
    target_date: "2034-01-01"
    priority: wish
    set_aside: 5000.00
    contributions:
      amount: 6000.00
      frequency: annual
      annual_growth: 0.02"""),
    "couple": dict(
        client="""\
client:
  name: Dana Whitcombe-Ferris
  birth_year: 1972            # the primary client; drives the planning horizon
  spouse:
    name: Chris Whitcombe-Ferris
    birth_year: 1974
  household_income: 285000.00
  filing_status: married-joint
  dependents: 2
  retirement_age: 63
horizon_years: 30""",
        tax="""\
tax_rates:
  ordinary_income: 0.37
  short_term_gains: 0.37
  long_term_gains: 0.238""",
        constraints="""\
constraints:
  exclude_symbols: [TOYBX]    # sell when sensible, never buy more
  exclude_sectors: []
  asset_class_bounds:
    emerging-markets: {max: 0.08}
    us-aggregate-bond: {min: 0.15}
  max_security_weight: 0.40""",
        answers={"reaction-to-decline": "c", "range-of-outcomes": "c",
                 "describe-yourself": "c", "coin-flip": "b", "checking-habit": "c",
                 "investing-experience": "d", "time-until-withdrawals": "d",
                 "income-security": "c", "emergency-savings": "d",
                 "annual-withdrawal-rate": "d"},
        goals="""\
inflation: 0.025
goals:
  - name: Retirement
    target_amount: 1700000.00
    amount_basis: today
    target_date: "2035-06-30"
    priority: need
    set_aside: 1030000.00
    contributions:
      amount: 6000.00
      frequency: monthly
      annual_growth: 0.02
  - name: College for two children
    target_amount: 260000.00
    amount_basis: nominal
    target_date: "2029-08-15"
    priority: need
    set_aside: 210000.00
    contributions:
      amount: 12000.00
      frequency: annual
      annual_growth: 0.0
  - name: Lake cabin
    target_amount: 350000.00
    amount_basis: today
    target_date: "2033-05-01"
    priority: wish
    set_aside: 60000.00
    contributions:
      amount: 2000.00
      frequency: quarterly
      annual_growth: 0.0"""),
    "retiree": dict(
        client="""\
client:
  name: Margarethe Lindqvist-Osei
  birth_year: 1956
  household_income: 54000.00  # pension and Social Security, before portfolio withdrawals
  filing_status: single
  dependents: 0
horizon_years: 20""",
        tax="""\
tax_rates:
  ordinary_income: 0.27
  short_term_gains: 0.27
  long_term_gains: 0.15""",
        constraints="""\
constraints:
  exclude_symbols: []
  exclude_sectors: []
  asset_class_bounds:
    cash: {min: 0.03}
    us-small-cap: {max: 0.05}
    emerging-markets: {max: 0.0}
  max_security_weight: 0.35""",
        answers={"reaction-to-decline": "b", "range-of-outcomes": "c",
                 "describe-yourself": "c", "coin-flip": "a", "checking-habit": "c",
                 "investing-experience": "d", "time-until-withdrawals": "a",
                 "income-security": "c", "emergency-savings": "d",
                 "annual-withdrawal-rate": "b"},
        goals="""\
inflation: 0.025
goals:
  - name: Retirement income
    target_amount: 400000.00   # money still invested at the end of the horizon
    amount_basis: today
    target_date: "2045-12-31"
    priority: need
    set_aside: 1000000.00
    withdrawals:
      amount: 3000.00
      frequency: monthly
      annual_growth: 0.025     # raised with inflation
  - name: Gift to grandchildren
    target_amount: 100000.00
    amount_basis: nominal
    target_date: "2032-06-30"
    priority: want
    set_aside: 110000.00
  - name: Travel fund
    target_amount: 30000.00
    amount_basis: today
    target_date: "2028-04-01"
    priority: wish
    set_aside: 24000.00
    contributions:
      amount: 250.00
      frequency: monthly
      annual_growth: 0.0"""),
}


def profile_yaml(name: str) -> str:
    p = PROFILES[name]
    return (f"# Client profile for the SYNTHETIC sample household '{name}' (a fictional person).\n"
            "# Format: Documentation/FileFormats.md, \"profile.yaml\".\n"
            + p["client"] + "\n" + p["tax"] + "\n" + p["constraints"] + "\n"
            + "# Other files, relative to this file's folder.\n"
            + "answers: answers.yaml\ngoals: goals.yaml\n"
            + "questionnaire: ../../questionnaire.yaml\n")


def answers_yaml(name: str) -> str:
    lines = [f"# Questionnaire answers of the SYNTHETIC sample household '{name}'.",
             "# Format: Documentation/FileFormats.md, \"answers.yaml\".",
             "questionnaire: folio-default   # the id in questionnaire.yaml",
             "answers:                        # question id: answer id"]
    for qid in Q_KIND_WEIGHT:
        lines.append(f"  {qid}: {PROFILES[name]['answers'][qid]}")
    return "\n".join(lines) + "\n"


def goals_yaml(name: str) -> str:
    return (f"# Goals of the SYNTHETIC sample household '{name}'.\n"
            "# Format: Documentation/FileFormats.md, \"goals.yaml\".\n"
            + PROFILES[name]["goals"] + "\n")


# --------------------------------------------------------------------------------------
# Generation and validation
# --------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------
# A minimal reader of the documented holdings rules (Documentation/FileFormats.md), used
# to check that the files written here follow the document.
# --------------------------------------------------------------------------------------

import re

_MONEY = re.compile(r"^(?P<open>\()?(?P<s1>-)?(?P<dollar>\$)?(?P<s2>-)?"
                    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<close>\))?$")
_TOTAL = re.compile(r"^(account |grand )?totals?\b", re.IGNORECASE)
HOLDINGS_ALIASES = {
    "account": ["account", "account id", "account number", "account no"],
    "kind": ["account type", "account kind", "registration"],
    "symbol": ["symbol", "ticker"],
    "quantity": ["quantity", "shares", "units", "qty"],
    "price": ["price", "last price", "current price"],
    "basis": ["cost basis total", "cost basis", "total cost"],
    "unit_cost": ["unit cost", "cost per share", "cost per unit", "average cost"],
    "acquired": ["acquired", "date acquired", "open date", "acquisition date", "purchase date"],
    "asset_class": ["asset class", "class"],
}
KIND_VALUES = {
    "taxable": ["taxable", "individual", "joint", "brokerage", "trust"],
    "tax-deferred": ["tax-deferred", "traditional ira", "ira", "rollover ira", "sep ira",
                     "simple ira", "401(k)", "403(b)"],
    "tax-exempt": ["tax-exempt", "roth ira", "roth 401(k)", "hsa"],
}


def normalize_header(h: str) -> str:
    h = h.lower()
    for ch in "_-./":
        h = h.replace(ch, " ")
    h = "".join(c for c in h if c.isalnum() or c == " ")
    return " ".join(h.split())


def parse_money(text: str, allow_dollar=True, allow_parens=True):
    t = text.strip()
    if t == "" or t == "--" or t.lower() == "n/a":
        return None
    m = _MONEY.match(t)
    if (not m or bool(m["open"]) != bool(m["close"]) or (m["s1"] and m["s2"])
            or (m["open"] and (m["s1"] or m["s2"]))):
        raise ValueError(f"not money: {text!r}")
    if (m["dollar"] and not allow_dollar) or (m["open"] and not allow_parens):
        raise ValueError(f"not a quantity: {text!r}")
    v = Decimal(m["int"].replace(",", "") + (m["frac"] or ""))
    return -v if (m["open"] or m["s1"] or m["s2"]) else v


def parse_holdings_as_documented(path: str):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header_at, cols = None, None
    for i, r in enumerate(rows[:10]):
        names = [normalize_header(c) for c in r]
        found = {}
        for key, aliases in HOLDINGS_ALIASES.items():
            hits = [j for j, n in enumerate(names) if n in aliases]
            if len(hits) > 1:
                raise ValueError(f"{path}: duplicate column for {key}")
            if hits:
                found[key] = hits[0]
        if "symbol" in found and "quantity" in found:
            header_at, cols = i, found
            break
    if header_at is None:
        raise ValueError(f"{path}: no header")
    lots, cash = [], {}
    for r in rows[header_at + 1:]:
        if not any(c.strip(" ,") for c in r):
            continue
        if _TOTAL.match(r[0].strip()) or _TOTAL.match(r[cols["symbol"]].strip()):
            break
        get = lambda k: r[cols[k]] if k in cols and cols[k] < len(r) else ""
        kind = [k for k, vs in KIND_VALUES.items() if get("kind").strip().lower() in vs]
        if len(kind) != 1:
            raise ValueError(f"{path}: account type {get('kind')!r}")
        sym = get("symbol").strip().upper()
        if sym == "CASH":
            price = parse_money(get("price"))
            if price is not None and price != 1:
                raise ValueError(f"{path}: CASH price {price}")
            cash[get("account")] = cash.get(get("account"), Decimal(0)) + parse_money(get("quantity"))
            continue
        qty = parse_money(get("quantity"), allow_dollar=False, allow_parens=False)
        basis = parse_money(get("basis"))
        acquired = get("acquired").strip()
        if kind[0] == "taxable" and (basis is None or acquired in ("", "--")):
            raise ValueError(f"{path}: taxable lot without basis or date")
        try:
            d = dt.date.fromisoformat(acquired)
        except ValueError:
            d = dt.datetime.strptime(acquired, "%m/%d/%Y").date()
        lots.append((get("account"), kind[0], sym, qty, parse_money(get("price")), basis, d,
                     get("asset_class").strip()))
    return lots, cash


def fail(msg):
    raise SystemExit("validation failed: " + msg)


def generate(out: str, verbose: bool = True) -> None:
    dates = business_days(START, END)
    prices, model = simulate_prices(dates)
    symbols = [f[0] for f in FUNDS] + [s[0] for s in STOCKS]

    # prices.csv
    rows = [["date"] + symbols]
    for i, d in enumerate(dates):
        rows.append([d.isoformat()] + ["{:.2f}".format(prices[s][i]) for s in symbols])
    write_csv(os.path.join(out, "prices.csv"), rows)

    # securities.csv
    names, classes, fractional = {}, {}, {}
    rows = [["symbol", "name", "asset_class", "kind", "fractional", "sector", "lot_size"]]
    for sym, name, cls, *_rest in FUNDS:
        frac = _rest[-2]
        rows.append([sym, name, cls, "fund", "true" if frac else "false", "", "1"])
        names[sym], classes[sym], fractional[sym] = name, cls, frac
    for sym, name, sector, cls in STOCKS:
        rows.append([sym, name, cls, "stock", "false", sector, "1"])
        names[sym], classes[sym], fractional[sym] = name, cls, False
    write_csv(os.path.join(out, "securities.csv"), rows)

    ctx = Ctx(dates, prices, fractional, names, classes)

    write_text(os.path.join(out, "questionnaire.yaml"), QUESTIONNAIRE)
    mus, vols, corr = cma_from_model(model)
    write_text(os.path.join(out, "capital-market-assumptions.yaml"), cma_yaml(mus, vols, corr))
    write_text(os.path.join(out, "models.yaml"), models_yaml())

    households = build_households(ctx)
    summaries = {}
    for name, accounts in households.items():
        base = os.path.join(out, "households", name)
        write_csv(os.path.join(base, "holdings.csv"), holdings_rows(ctx, accounts))
        if name == "couple":
            write_text(os.path.join(base, "targets.yaml"), targets_couple_yaml())
        else:
            write_text(os.path.join(base, "targets.yaml"), targets_simple_yaml(name))
        write_text(os.path.join(base, "policy.yaml"), policy_yaml(name, accounts, ctx))
        write_text(os.path.join(base, "profile.yaml"), profile_yaml(name))
        write_text(os.path.join(base, "answers.yaml"), answers_yaml(name))
        write_text(os.path.join(base, "goals.yaml"), goals_yaml(name))
        summaries[name] = summarize(ctx, accounts)

    readme = readme_text(households, summaries, ctx, dates, symbols)
    write_text(os.path.join(out, "README.md"), readme)

    validate(out, ctx, households, symbols, mus, vols, corr, verbose)


def is_short_term(acquired: dt.date, as_of: dt.date) -> bool:
    """Held one year or less: the first anniversary is on or after as_of."""
    try:
        anniversary = acquired.replace(year=acquired.year + 1)
    except ValueError:  # 29 February
        anniversary = dt.date(acquired.year + 1, 3, 1)
    return anniversary >= as_of


def summarize(ctx, accounts):
    mv = market_value(ctx, accounts)
    total = sum(mv.values())
    nlots = sum(len(l) for _a, _t, _c, ps in accounts for _s, l in ps)
    st = loss = 0
    for _a, _t, _c, ps in accounts:
        for sym, lots in ps:
            for d, q, b in lots:
                if is_short_term(d, AS_OF):
                    st += 1
                if q * ctx.last(sym) < b:
                    loss += 1
    return dict(total=total, lots=nlots, short=st, loss=loss, mv=mv)


YEAR_TABLE = ["FUSLC", "FUSSC", "FINTL", "FEMKT", "FAGGB", "FGOLD"]


def readme_text(households, summaries, ctx, dates, symbols) -> str:
    lines = [
        "# Folio sample data (SYNTHETIC)",
        "",
        "**Everything in this folder is synthetic.** The prices were simulated by",
        "[`Scripts/sample_data/generate.py`](../../Scripts/sample_data/generate.py) with a",
        "fixed seed; the tickers, fund and company names, clients, holdings, goals,",
        "questionnaire and capital market assumptions are invented. No ticker here is meant",
        "to be a real symbol, and nothing here is market data or investment advice.",
        "",
        "Regenerate (byte-identical) and verify:",
        "",
        "```sh",
        "python3 Scripts/sample_data/generate.py          # rewrite Examples/Data/",
        "python3 Scripts/sample_data/generate.py --check  # regenerate elsewhere and compare",
        "```",
        "",
        "Every format is specified in [`Documentation/FileFormats.md`](../../Documentation/FileFormats.md).",
        "",
        "## Files",
        "",
        "| file | what it is |",
        "|---|---|",
        f"| `prices.csv` | daily closes, wide format, {len(dates):,} business days "
        f"{dates[0].isoformat()} .. {dates[-1].isoformat()}, {len(symbols)} symbols "
        f"({len(FUNDS)} funds, {len(STOCKS)} stocks) |",
        "| `securities.csv` | symbol, name, asset class, kind (fund/stock), fractional shares, sector, lot size |",
        "| `questionnaire.yaml` | the default risk-tolerance questionnaire (10 questions, written for Folio) |",
        "| `capital-market-assumptions.yaml` | ILLUSTRATIVE expected return, volatility and correlations per asset class |",
        "| `models.yaml` | one asset-class mix per risk category, category volatility bands, default glide path |",
        "| `households/<name>/holdings.csv` | custodian-style export, one row per tax lot, `CASH` rows, a `Total` row |",
        "| `households/<name>/targets.yaml` | target weights (by security, or by asset class for `couple`) |",
        "| `households/<name>/policy.yaml` | bands, calendar, cash reserve and flows, costs, tax settings |",
        "| `households/<name>/profile.yaml` | client, tax rates, constraints; points at `answers.yaml` and `goals.yaml` |",
        "| `households/<name>/answers.yaml` | the client's answers to `questionnaire.yaml` |",
        "| `households/<name>/goals.yaml` | goals, contributions/withdrawals, inflation |",
        "",
        "## How the prices were made",
        "",
        "Log returns from a factor model: an equity market factor, a size factor,",
        "international and emerging factors, six sector factors, and rates, credit,",
        "inflation, commodity, gold and real-estate factors; each security adds its own",
        "noise. Shocks are Student-t with 5 degrees of freedom (mild fat tails). Scripted",
        "events shape the path: a crash of about -35% for broad equities from 2020-02-20 to",
        "2020-03-23 with a volatility spike, a recovery by August 2020, an inflation and",
        "commodity surge in 2021-22, and a rate shock with an equity bear market in 2022.",
        "Business days are Monday to Friday with no holiday calendar. Annual volatilities:",
        "funds from 0.3% (money market) to about 21% (REITs), stocks about 20% to 45%.",
        "",
        "Realized figures over the whole history (from the file itself):",
        "",
        "| symbol | class | first | last | annual return | annual vol | worst drawdown |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for sym, _n, cls, *_r in FUNDS:
        p = np.array(ctx.prices[sym])
        r = np.diff(np.log(p))
        years = len(r) / TRADING_DAYS
        cagr = (p[-1] / p[0]) ** (1 / years) - 1
        vol = float(np.std(r, ddof=1)) * math.sqrt(TRADING_DAYS)
        dd = float(np.min(p / np.maximum.accumulate(p) - 1))
        lines.append(f"| {sym} | {cls} | {p[0]:.2f} | {p[-1]:.2f} | {cagr:.1%} | {vol:.1%} | {dd:.1%} |")
    svol = []
    for sym, *_r in STOCKS:
        p = np.array(ctx.prices[sym])
        svol.append(float(np.std(np.diff(np.log(p)), ddof=1)) * math.sqrt(TRADING_DAYS))
    lines.append("")
    lines.append(f"Stocks: realized annual volatility {min(svol):.0%} to {max(svol):.0%}.")
    lines += ["", "Calendar-year price returns of a few funds:", "",
              "| year | " + " | ".join(YEAR_TABLE) + " |",
              "|---|" + "---:|" * len(YEAR_TABLE)]
    year_end = {}
    for i, d in enumerate(dates):
        year_end[d.year] = i
    prev = 0
    for y in sorted(year_end):
        i = year_end[y]
        cells = [f"{ctx.prices[s][i] / ctx.prices[s][prev] - 1:+.1%}" for s in YEAR_TABLE]
        lines.append(f"| {y} | " + " | ".join(cells) + " |")
        prev = i
    lines.append("")
    lines.append("(2016 is measured from the first close, 2016-01-04.)")
    lines += [
        "",
        "## Households (as of 2025-12-31; prices are the last row of `prices.csv`)",
        "",
        "| household | accounts | lots | short-term lots | lots at a loss | market value |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, accounts in households.items():
        s = summaries[name]
        accts = ", ".join(f"{t} `{a}`" for a, t, _c, _p in accounts)
        lines.append(f"| `{name}` | {accts} | {s['lots']} | {s['short']} | {s['loss']} | "
                     f"{money(s['total'])} |")
    lines += [
        "",
        "Short-term means held one year or less on 2025-12-31 (acquired 2024-12-31 or",
        "later). Holdings are deliberately away from their targets so a rebalance has work",
        "to do; each household also holds something its target does not name.",
        "",
        "`backtest/` is written by hand, not by this generator: a taxable account and a",
        "Traditional IRA as held on 2016-01-04, the first date of `prices.csv`, for",
        "`folio backtest` and `Examples/PolicyBacktest` (Documentation/Backtesting.md). It sits",
        "outside `households/`, whose folders `folio batch` reads as one book.",
        "",
        "Risk scores from `answers.yaml` under `questionnaire.yaml` (reference values for tests):",
        "",
        "| household | willingness | capacity | governs | category |",
        "|---|---:|---:|---|---|",
    ]
    for name in households:
        will, cap, cat, gov = score_answers(PROFILES[name]["answers"])
        lines.append(f"| `{name}` | {float(will):.4f} | {float(cap):.4f} | {gov} | {cat} |")
    return "\n".join(lines) + "\n"


def validate(out, ctx, households, symbols, mus, vols, corr, verbose):
    # prices
    for s in symbols:
        if min(ctx.prices[s]) <= 0:
            fail(f"non-positive price for {s}")
    with open(os.path.join(out, "prices.csv"), newline="") as f:
        rows = list(csv.reader(f))
    if rows[0][0] != "date" or len(rows) - 1 != len(ctx.dates):
        fail("prices.csv shape")
    last = dict(zip(rows[0][1:], rows[-1][1:]))
    # equities crash check: FUSLC drawdown across the crash window
    i0 = ctx.index[dt.date(2020, 2, 19)]
    i1 = ctx.index[dt.date(2020, 3, 23)]
    crash = ctx.prices["FUSLC"][i1] / ctx.prices["FUSLC"][i0] - 1
    if not -0.45 < crash < -0.25:
        fail(f"FUSLC crash move {crash:.2%} not about -35%")
    for sym in ("FUSLC", "FUSSC", "FINTL", "FAGGB", "FMMKT"):
        if ctx.prices[sym][-1] <= ctx.prices[sym][0]:
            fail(f"{sym} has no positive drift over the decade")

    sec_symbols = {f[0] for f in FUNDS} | {s[0] for s in STOCKS}
    if len(sec_symbols) != len(symbols):
        fail("duplicate symbols")

    # targets
    def exact_sum(ws):
        return sum(Fraction(w) for w in ws)

    for name, t in SIMPLE_TARGETS.items():
        if exact_sum(w for _s, w in t) != 1:
            fail(f"{name} targets do not sum to 1")
        for s, _w in t:
            if s != "CASH" and s not in sec_symbols:
                fail(f"{name} target symbol {s} unknown")
    pol = open(os.path.join(out, "households", "couple", "policy.yaml")).read()
    if "realized_gain: -" not in pol:
        fail("couple's recent FINTL sale is not a loss")
    if exact_sum(w for _c, w, _p, _a in COUPLE_CLASSES) != 1:
        fail("couple targets do not sum to 1")
    for c, _w, p, alts in COUPLE_CLASSES:
        for s in [p] + alts:
            if s != "CASH" and ctx.classes[s] != c:
                fail(f"couple class {c}: {s} is in class {ctx.classes[s]}")
    for cat, ws in MODELS.items():
        if sum(ws) != 100:
            fail(f"model {cat} sums to {sum(ws)}")

    # holdings
    for name, accounts in households.items():
        with open(os.path.join(out, "households", name, "holdings.csv"), newline="") as f:
            hrows = list(csv.reader(f))
        if not any('"' in line for line in open(os.path.join(out, "households", name, "holdings.csv"))):
            fail(f"{name}: no quoted field")
        if hrows[-1][0] != "Total":
            fail(f"{name}: no Total row")
        for r in hrows[1:]:
            if not r or r[0] == "Total":
                continue
            sym = r[2]
            if sym == "CASH":
                continue
            if sym not in sec_symbols:
                fail(f"{name}: {sym} has no security entry")
            if sym not in last:
                fail(f"{name}: {sym} has no price")
            if r[5] != money(Decimal(last[sym])):
                fail(f"{name}: {sym} price {r[5]} != last close {last[sym]}")
            acq = dt.datetime.strptime(r[7], "%m/%d/%Y").date()
            if not (START <= acq <= AS_OF):
                fail(f"{name}: {sym} acquired {acq} outside the price history")
        # the documented reading rules give back exactly the lots and cash written
        lots, cash = parse_holdings_as_documented(
            os.path.join(out, "households", name, "holdings.csv"))
        want = [(a, sym, q, ctx.last(sym), b, d) for a, _t, _c, ps in accounts
                for sym, ls in ps for d, q, b in ls]
        if [(a, s, q, p, b, d) for a, _k, s, q, p, b, d, _c in lots] != want:
            fail(f"{name}: holdings.csv does not read back as documented")
        if cash != {a: c for a, _t, c, _p in accounts}:
            fail(f"{name}: cash does not read back as documented")
        s = summarize(ctx, accounts)
        if name == "couple" and (s["short"] < 5 or s["loss"] < 5):
            fail(f"couple needs short-term and loss lots: {s['short']} / {s['loss']}")
    # household drift: at least one target off by more than 2 points
    for name, t in SIMPLE_TARGETS.items():
        s = summarize(ctx, households[name])
        total = s["total"]
        drift = max(abs(float(s["mv"].get(sym, 0) / total) - float(w)) for sym, w in t)
        if drift < 0.02:
            fail(f"{name} barely drifted ({drift:.3f})")

    # questionnaire answers valid; categories differ across households
    for name in households:
        ans = PROFILES[name]["answers"]
        if set(ans) != set(Q_KIND_WEIGHT):
            fail(f"{name}: answers do not cover every question")
        for q, a in ans.items():
            if a not in Q_KIND_WEIGHT[q][2]:
                fail(f"{name}: unknown answer {q}={a}")

    # correlation matrix: symmetric, unit diagonal, positive definite
    c = np.array(corr)
    if not np.array_equal(c, c.T) or not np.all(np.diag(c) == 1.0):
        fail("correlation matrix not symmetric with unit diagonal")
    if float(np.linalg.eigvalsh(c).min()) <= 1e-6:
        fail("correlation matrix not positive definite")
    # model volatilities inside their category's band, increasing with risk
    cov = c * np.outer(vols, vols)
    prev = -1.0
    for cat in CATEGORIES:
        w = np.array(MODELS[cat]) / 100.0
        v = float(np.sqrt(w @ cov @ w))
        lo, hi = VOL_BANDS[cat]
        if not (lo <= v < hi) or v <= prev:
            fail(f"model {cat} volatility {v:.4f} outside [{lo}, {hi}) or not increasing")
        prev = v
        if verbose:
            print(f"  model {cat:24s} vol {v:.4f}  return {float(w @ np.array(mus)):.4f}")
    for i in range(len(GLIDE) - 1):
        if GLIDE[i + 1][1] < GLIDE[i][1]:
            fail("glide path not monotone")

    # YAML parses (when PyYAML is installed)
    try:
        import yaml  # type: ignore
    except ImportError:
        yaml = None
    if yaml is not None:
        for root, _dirs, files in os.walk(out):
            for fn in files:
                if fn.endswith(".yaml"):
                    with open(os.path.join(root, fn)) as f:
                        doc = yaml.safe_load(f)
                    if not isinstance(doc, dict):
                        fail(f"{fn} is not a mapping")
        with open(os.path.join(out, "questionnaire.yaml")) as f:
            q = yaml.safe_load(f)
        parsed = {x["id"]: (x["kind"], x["weight"], {a["id"]: a["score"] for a in x["answers"]})
                  for x in q["questions"]}
        if parsed != Q_KIND_WEIGHT:
            fail("questionnaire.yaml differs from the generator's table")
        with open(os.path.join(out, "households", "couple", "targets.yaml")) as f:
            t = yaml.safe_load(f)
        if sum(Fraction(str(v["weight"])) for v in t["asset_classes"].values()) != 1:
            fail("couple targets.yaml weights")
    if verbose:
        print("validation passed")


def tree_files(root):
    out = []
    for r, _d, fs in os.walk(root):
        for f in fs:
            out.append(os.path.relpath(os.path.join(r, f), root))
    return sorted(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "..", "Examples", "Data"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=default_out)
    ap.add_argument("--check", action="store_true",
                    help="regenerate into a temporary folder and compare with --out")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(tmp, verbose=False)
            a, b = tree_files(tmp), tree_files(args.out)
            generated = set(a)
            diff = [f for f in a if f not in b or not filecmp.cmp(
                os.path.join(tmp, f), os.path.join(args.out, f), shallow=False)]
            if diff:
                print("differs from a fresh run: " + ", ".join(diff))
                sys.exit(1)
            extra = [f for f in b if f not in generated]
            print(f"{len(a)} files identical to a fresh run"
                  + (f" ({len(extra)} other files ignored)" if extra else ""))
        return
    if os.path.isdir(args.out):
        # remove only what a previous run generated
        for f in ("prices.csv", "securities.csv", "questionnaire.yaml",
                  "capital-market-assumptions.yaml", "models.yaml", "README.md"):
            p = os.path.join(args.out, f)
            if os.path.exists(p):
                os.remove(p)
        hh = os.path.join(args.out, "households")
        if os.path.isdir(hh):
            shutil.rmtree(hh)
    generate(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
