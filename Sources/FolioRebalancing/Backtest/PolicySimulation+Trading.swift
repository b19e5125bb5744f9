import Foundation

extension PolicySimulation {
    /// Plans and applies the date's trades, if any; returns the plan's turnover (0 when none).
    ///
    /// A triggered rebalance plans with the policy's mode; otherwise flows (scheduled, or a
    /// tax to pay) and idle cash go through a cash-flow-only plan. ``BacktestPolicy/Rule/never``
    /// moves deposits and withdrawals through cash and plans only the accounts whose cash does
    /// not cover a withdrawal.
    mutating func trade(on d: Int, flows requested: [String: Decimal], taxDue: Decimal, rebalance: Bool) throws(BacktestError) -> Double {
        var flows = requested
        let taxAccount = market.backtester.settings.taxPayment == .fromTaxableAccount
            ? household.accounts.first(where: { $0.kind.isTaxable })?.id : nil
        for (id, amount) in requested {
            let tax = id == taxAccount ? -taxDue : 0
            let scheduled = amount - tax
            if scheduled > 0 { result.deposits += scheduled } else { result.withdrawals -= scheduled }
            guard amount < 0, let a = household.accounts.firstIndex(where: { $0.id == id }) else { continue }
            // What the account can raise, leaving room for costs; the rest is a shortfall.
            let available = Money.roundCents(Decimal(accountValue(a, on: d) * 0.98))
            if -amount > available {
                let short = -amount - max(0, available)
                flows[id] = -max(0, available)
                let taxShort = min(short, max(0, -tax))
                result.taxesPaidFromOutside += taxShort
                result.withdrawalShortfall += short - taxShort
                result.withdrawals -= short - taxShort
            }
        }
        flows = flows.filter { $0.value != 0 }
        if rebalance {
            result.rebalances += 1
            return try plan(with: rebalancePlanner, household, flows: flows, on: d)
        }
        if case .never = policy.rule {
            var needSales = Set<String>()
            for (id, amount) in flows {
                let a = household.accounts.firstIndex { $0.id == id }!
                if household.accounts[a].cash + amount >= 0 { household.accounts[a].cash += amount } else { needSales.insert(id) }
            }
            guard !needSales.isEmpty else { return 0 }
            let sellers = Household(id: household.id, accounts: household.accounts.filter { needSales.contains($0.id) })
            return try plan(with: flowPlanner, sellers, flows: flows.filter { needSales.contains($0.key) }, on: d)
        }
        if !flows.isEmpty || sweepDue(on: d) { return try plan(with: flowPlanner, household, flows: flows, on: d) }
        return 0
    }

    /// Whether idle cash is swept on date `d`: a new sweep period and an account whose cash is
    /// at least the minimum fraction of its value.
    func sweepDue(on d: Int) -> Bool {
        let settings = market.backtester.settings
        guard d > 0, let f = settings.cashSweep,
              f.period(ofDay: market.days[d]) != f.period(ofDay: market.days[d - 1]) else { return false }
        return household.accounts.indices.contains { a in
            let cash = Self.double(household.accounts[a].cash)
            return cash > 0 && cash >= settings.minimumSweepFraction * accountValue(a, on: d)
        }
    }

    func accountValue(_ a: Int, on d: Int) -> Double {
        var v = Self.double(household.accounts[a].cash)
        let u = units[a]
        for s in u.indices where u[s] != 0 { v += u[s] * market.prices.closes[s][d] }
        return v
    }

    /// Plans `accounts` (the household or a part of it) with `planner` and applies the plan.
    mutating func plan(with planner: HouseholdPlanner, _ accounts: Household, flows: [String: Decimal], on d: Int) throws(BacktestError) -> Double {
        let date = market.prices.dates[d]
        let window = policy.policy.washSaleWindowDays
        recent.removeAll { market.days[d] - CivilDay.of($0.date) > window }
        buys.removeAll { market.days[d] - $0.day > window || $0.units == 0 }
        let target = accounts.accounts.count == household.accounts.count ? market.householdTarget : .eachAccount(market.backtester.target)
        let plan: HouseholdPlan
        do {
            plan = try planner.plan(accounts, target: target, prices: market.prices.prices(on: d),
                                    context: PlanContext(cashFlows: flows, recentTransactions: recent))
        } catch {
            throw .planning(policy: policy.name, date: date, reason: error.description)
        }
        result.plans += 1
        return try apply(plan, on: d)
    }

    /// Applies a household plan: holdings, realized gains by term, the wash-sale look-back,
    /// the trade log; returns the plan's turnover.
    mutating func apply(_ plan: HouseholdPlan, on d: Int) throws(BacktestError) -> Double {
        do { household = try household.applying(plan) } catch {
            throw .planning(policy: policy.name, date: market.prices.dates[d], reason: error.description)
        }
        let date = market.prices.dates[d], day = market.days[d]
        var traded: Decimal = 0, valueBefore: Decimal = 0
        for p in plan.plans {
            let a = household.accounts.firstIndex { $0.id == p.accountID }!
            let taxable = p.accountKind.isTaxable
            result.trades += p.trades.count
            result.costs += p.totalCosts
            traded += p.totalBuys + p.totalSells
            valueBefore += p.accountValueBefore
            for trade in p.trades {
                let key = market.securityBySymbol[trade.symbol]?.washSaleKey ?? trade.symbol
                switch trade.side {
                case .buy:
                    buys.append((day, a, trade.symbol, key, trade.quantity))
                    recent.append(Transaction(date: date, accountID: p.accountID, symbol: trade.symbol, side: .buy, quantity: trade.quantity))
                case .sell:
                    if taxable {
                        for sale in trade.lots { addGain(sale.realizedGain, term: sale.term) }
                        let back = disallowWashSale(trade, key: key, day: day)
                        addGain(back.shortTerm, term: .shortTerm)
                        addGain(back.longTerm, term: .longTerm)
                    }
                    recent.append(Transaction(date: date, accountID: p.accountID, symbol: trade.symbol, side: .sell,
                                              quantity: trade.quantity, realizedGain: taxable ? trade.realizedGain : 0))
                }
            }
            // The plan's holdings table has every held or traded security's units after.
            for h in p.holdings { units[a][market.prices.index[h.symbol]!] = Self.double(h.quantityAfter) }
        }
        return valueBefore > 0 ? Self.double(traded) / 2 / Self.double(valueBefore) : 0
    }

    mutating func addGain(_ gain: Decimal, term: HoldingTerm) {
        guard gain != 0 else { return }
        if term == .shortTerm {
            yearST += gain
            result.realizedShortTermGain += gain
        } else {
            yearLT += gain
            result.realizedLongTermGain += gain
        }
    }

    /// The wash-sale rule looking back: a loss sold within the window after a purchase of the
    /// same wash-sale key (in any account) is disallowed for the units the purchase replaces.
    /// The disallowed loss is added to the basis of the replacement lot when it sits in a
    /// taxable account (IRS Publication 550, "Wash Sales"); a replacement in an IRA loses it.
    /// Returns the disallowed amounts by term (to add back to the realized gains).
    mutating func disallowWashSale(_ trade: Trade, key: String, day: Int) -> (shortTerm: Decimal, longTerm: Decimal) {
        let losses = trade.lots.filter { $0.realizedGain < 0 }
        guard !losses.isEmpty else { return (0, 0) }
        let lossUnits = losses.reduce(Decimal(0)) { $0 + $1.quantity }
        let window = policy.policy.washSaleWindowDays
        var matched: Decimal = 0
        var replacements: [(index: Int, units: Decimal)] = []
        for i in buys.indices where matched < lossUnits && buys[i].key == key && buys[i].day < day
            && day - buys[i].day <= window && buys[i].units > 0 {
            let take = min(buys[i].units, lossUnits - matched)
            buys[i].units -= take
            matched += take
            replacements.append((i, take))
        }
        guard matched > 0 else { return (0, 0) }
        var st: Decimal = 0, lt: Decimal = 0
        for sale in losses {
            let x = Money.roundCents(-sale.realizedGain * matched / lossUnits)
            if sale.term == .shortTerm { st += x } else { lt += x }
        }
        let total = st + lt
        result.washSaleLossDisallowed += total
        var given: Decimal = 0
        for (k, r) in replacements.enumerated() {
            let share = k == replacements.count - 1 ? total - given : Money.roundCents(total * r.units / matched)
            given += share
            let b = buys[r.index]
            guard household.accounts[b.account].kind.isTaxable,
                  let p = household.accounts[b.account].positions.firstIndex(where: { $0.symbol == b.symbol }),
                  let l = household.accounts[b.account].positions[p].lots.lastIndex(where: { CivilDay.of($0.acquired) == b.day })
            else { continue }
            household.accounts[b.account].positions[p].lots[l].costBasis += share
        }
        return (st, lt)
    }

    // MARK: The last date

    /// The last year's tax, the liquidation tax, the returns and the averages.
    mutating func finish(growthBefore: Double, growthAfter: Double, excess: [Double], driftSum: Double, turnoverSum: Double) throws(BacktestError) {
        let prices = market.prices, d = prices.dates.count - 1, endDay = market.days[d]
        let exact = prices.prices(on: d)
        var ending: Decimal = 0, deferred: Decimal = 0, unrealizedST: Decimal = 0, unrealizedLT: Decimal = 0
        for account in household.accounts {
            var accountValue = account.cash
            for p in account.positions {
                let price = exact[p.symbol]!
                for lot in p.lots {
                    let mv = Money.roundCents(lot.quantity * price)
                    accountValue += mv
                    guard account.kind.isTaxable else { continue }
                    if CivilDay.adding(months: 12, to: CivilDay.of(lot.acquired)) < endDay {
                        unrealizedLT += mv - lot.costBasis
                    } else {
                        unrealizedST += mv - lot.costBasis
                    }
                }
            }
            ending += accountValue
            if account.kind == .taxDeferred { deferred += accountValue }
        }
        let year = CivilDay.civil(endDay).year
        let final = TaxYear.settle(year: year, shortTermGain: yearST, longTermGain: yearLT, dividends: yearDividends,
                                   carriedIn: carry, rules: taxRules)
        let liquidated = TaxYear.settle(year: year, shortTermGain: yearST + unrealizedST, longTermGain: yearLT + unrealizedLT,
                                        dividends: yearDividends, carriedIn: carry, rules: taxRules)
        result.taxYears = taxYears
        result.endingHousehold = household
        result.finalYear = final
        result.endingValue = ending
        result.liquidationTax = liquidated.tax - final.tax
            + Money.roundCents(deferred * market.backtester.settings.taxDeferredLiquidationRate)
        result.endingValueAfterTax = ending - final.tax - result.taxesPaidFromOutside
        result.endingValueAfterLiquidation = result.endingValueAfterTax - result.liquidationTax
        let years = Double(endDay - market.days[0]) / 365.25
        result.years = years
        let endValue = Self.double(ending)
        let owed = Self.double(final.tax + result.liquidationTax)
        let after = endValue > 0 ? growthAfter * (endValue - owed) / endValue : growthAfter
        result.returnBeforeTax = years > 0 ? pow(max(growthBefore, 0), 1 / years) - 1 : 0
        result.returnAfterTax = years > 0 ? pow(max(after, 0), 1 / years) - 1 : 0
        if excess.count > 1, years > 0 {
            let mean = excess.reduce(0, +) / Double(excess.count)
            let variance = excess.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(excess.count - 1)
            result.trackingError = (variance * Double(excess.count) / years).squareRoot()
        }
        result.meanMaxDrift = driftSum / Double(prices.dates.count)
        result.turnover = years > 0 ? turnoverSum / years : 0
    }
}
