import Foundation

extension AccountEngine {
    /// Assembles the plan; its invariants are recomputed from the emitted plan by ``PlanAudit``.
    mutating func buildPlan(
        order: [Int], decision: TriggerDecision, action: EngineAction, weightsBefore: [Double],
        unlisted: [Int], settlement st: SellSettlement
    ) -> RebalancePlan {
        let emitted = emitTrades(order: order, settlement: st, action: action)
        var buyOutflow: Int64 = 0
        for i in order where secs[i].buyQuantity > 0 { buyOutflow += st.buyGross[i] + st.buyCost[i] }
        let cashAfter = st.cash - buyOutflow
        if cashAfter < reserve && !warnings.contains(where: { $0.kind == .reserveNotMet }) {
            warnings.append(PlanWarning(
                kind: .reserveNotMet, subject: "",
                message: "cash after trading (\(advisorMoney(Fixed.decimal(cashAfter)))) is below the reserve (\(advisorMoney(Fixed.decimal(reserve))))"))
        }
        let rows = holdingRows(order: order)
        let drift = lineDrift(weightsBefore: weightsBefore, unlisted: unlisted, valueAfter: rows.valueAfter)
        let stGain = account.kind.isTaxable ? st.shortTerm : 0
        let ltGain = account.kind.isTaxable ? st.longTerm : 0
        let applied: RebalancePolicy.Mode = switch action {
        case .toTarget: .toTarget
        case .bandEdge: .toNearestBandEdge
        case .cashFlow: .cashFlowOnly
        case .none: r.policy.mode
        }
        var plan = RebalancePlan(
            accountID: account.id, accountKind: account.kind, tradeDate: prices.asOf, trigger: decision,
            appliedMode: applied, trades: emitted.trades, skippedTrades: skipped, holdings: rows.holdings,
            assetClasses: classChanges(rows), drift: drift,
            maxAbsoluteDriftBefore: drift.reduce(0.0) { max($0, abs($1.driftBefore)) },
            maxAbsoluteDriftAfter: drift.reduce(0.0) { max($0, abs($1.driftAfter)) },
            turnover: accountValue > 0 ? Double(emitted.sells + emitted.buys) / 2 / Double(accountValue) : 0,
            accountValueBefore: Fixed.decimal(accountValue),
            investableValue: Fixed.decimal(accountValue + facts.cashFlow - reserve),
            cashBefore: Fixed.decimal(cash), cashAfter: Fixed.decimal(cashAfter), cashReserve: Fixed.decimal(reserve),
            deposit: Fixed.decimal(max(0, facts.cashFlow)), withdrawal: Fixed.decimal(max(0, -facts.cashFlow)),
            totalSells: Fixed.decimal(emitted.sells), totalBuys: Fixed.decimal(emitted.buys),
            totalCosts: Fixed.decimal(emitted.costs), realizedShortTermGain: Fixed.decimal(stGain),
            realizedLongTermGain: Fixed.decimal(ltGain), estimatedTax: estimatedTax(shortTerm: stGain, longTerm: ltGain),
            warnings: warnings, invariants: .unchecked)
        // Invariants: recomputed from the emitted trades and lots, not from the engine's state.
        plan.invariants = PlanAudit.invariants(
            of: plan, account: account, policy: r.policy,
            context: PlanContext(cashFlows: [account.id: Fixed.decimal(facts.cashFlow)]))
        return plan
    }

    /// The trades as emitted (sells first, each with its lot sales) and their totals.
    struct EmittedTrades {
        var trades: [Trade] = []
        /// Gross sells, buys and all costs, fixed units.
        var sells: Int64 = 0, buys: Int64 = 0, costs: Int64 = 0
    }

    func emitTrades(order: [Int], settlement st: SellSettlement, action: EngineAction) -> EmittedTrades {
        var out = EmittedTrades()
        for i in order where secs[i].sellQuantity > 0 {
            let sec = secs[i]
            var lots: [LotSale] = []
            lots.reserveCapacity(st.fills[i].count)
            var gain: Int64 = 0
            for f in st.fills[i] {
                let lot = sec.lots[f.lot]
                gain += f.gain
                lots.append(LotSale(
                    lotID: lot.id, quantity: Fixed.decimal(f.quantity), acquired: lot.acquired,
                    costBasis: Fixed.decimal(f.basis), proceeds: Fixed.decimal(f.proceeds),
                    realizedGain: Fixed.decimal(f.gain), term: f.isLongTerm ? .longTerm : .shortTerm))
            }
            out.sells += st.gross[i]
            out.costs += st.cost[i]
            out.trades.append(Trade(
                accountID: account.id, symbol: sec.symbol, side: .sell, quantity: Fixed.decimal(sec.sellQuantity),
                price: sec.priceDecimal, grossValue: Fixed.decimal(st.gross[i]), cost: Fixed.decimal(st.cost[i]),
                lots: lots, realizedGain: account.kind.isTaxable ? Fixed.decimal(gain) : 0,
                reason: reasons[i] ?? reason(for: i, side: .sell, action: action)))
        }
        for i in order where secs[i].buyQuantity > 0 && st.buyGross[i] > 0 {
            let sec = secs[i]
            out.buys += st.buyGross[i]
            out.costs += st.buyCost[i]
            out.trades.append(Trade(
                accountID: account.id, symbol: sec.symbol, side: .buy, quantity: Fixed.decimal(sec.buyQuantity),
                price: sec.priceDecimal, grossValue: Fixed.decimal(st.buyGross[i]), cost: Fixed.decimal(st.buyCost[i]),
                lots: [], realizedGain: 0, reason: reasons[i] ?? reason(for: i, side: .buy, action: action)))
        }
        return out
    }

    /// Every security's holding before and after, in symbol order, with the values the class
    /// table sums (cents, by row) and each security's value after (by security).
    struct HoldingRows {
        var holdings: [HoldingChange] = []
        var centsBefore: [Int64] = []
        var centsAfter: [Int64] = []
        var valueAfter: [Double]
    }

    func holdingRows(order: [Int]) -> HoldingRows {
        let base = investable
        var rows = HoldingRows(valueAfter: [Double](repeating: 0, count: secs.count))
        rows.holdings.reserveCapacity(order.count)
        for i in order {
            let sec = secs[i]
            let after = sec.held - sec.sellQuantity + sec.buyQuantity
            rows.valueAfter[i] = Fixed.double(Fixed.value(after, sec.price))
            let before = Fixed.valueInCents(sec.held, sec.price), afterCents = Fixed.valueInCents(after, sec.price)
            rows.centsBefore.append(before)
            rows.centsAfter.append(afterCents)
            rows.holdings.append(HoldingChange(
                symbol: sec.symbol, assetClass: sec.assetClass, price: sec.priceDecimal,
                quantityBefore: Fixed.decimal(sec.held), quantityAfter: Fixed.decimal(after),
                marketValueBefore: Fixed.decimal(before), marketValueAfter: Fixed.decimal(afterCents),
                weightBefore: base > 0 ? sec.mv / base : 0, weightAfter: base > 0 ? rows.valueAfter[i] / base : 0,
                targetWeight: base > 0 ? sec.fullTarget / base : 0))
        }
        return rows
    }

    /// The holdings summed by asset class, in class order, with each class's target weight.
    func classChanges(_ rows: HoldingRows) -> [AssetClassChange] {
        var classTargets: [String: Double] = [:]
        if target.isByAssetClass {
            for sl in target.sleeves { classTargets[sl.assetClass, default: 0] += sl.weight }
        } else {
            for l in lines { if let m = l.members.first { classTargets[secs[m].assetClass, default: 0] += l.weight } }
        }
        var index: [String: Int] = [:]
        var classes: [AssetClassChange] = []
        var cents: [(before: Int64, after: Int64)] = []
        for (k, h) in rows.holdings.enumerated() {
            let c: Int
            if let j = index[h.assetClass] {
                c = j
            } else {
                c = classes.count
                index[h.assetClass] = c
                classes.append(AssetClassChange(
                    assetClass: h.assetClass, marketValueBefore: 0, marketValueAfter: 0, weightBefore: 0, weightAfter: 0,
                    targetWeight: classTargets[h.assetClass] ?? 0))
                cents.append((0, 0))
            }
            cents[c].before += rows.centsBefore[k]
            cents[c].after += rows.centsAfter[k]
            classes[c].weightBefore += h.weightBefore
            classes[c].weightAfter += h.weightAfter
        }
        for c in classes.indices {
            classes[c].marketValueBefore = Fixed.decimal(cents[c].before)
            classes[c].marketValueAfter = Fixed.decimal(cents[c].after)
        }
        return classes.sorted { $0.assetClass < $1.assetClass }
    }

    /// Each target line's drift, then each holding outside the target.
    func lineDrift(weightsBefore: [Double], unlisted: [Int], valueAfter: [Double]) -> [LineDrift] {
        let base = investable
        let weightsAfter = lineWeights { valueAfter[$0] }
        var drift: [LineDrift] = []
        drift.reserveCapacity(lines.count + unlisted.count)
        for (l, line) in lines.enumerated() {
            drift.append(LineDrift(line: line.name, isInTarget: true, targetWeight: line.weight, band: line.band,
                                   weightBefore: weightsBefore[l], weightAfter: weightsAfter[l]))
        }
        for i in unlisted {
            drift.append(LineDrift(line: secs[i].symbol, isInTarget: false, targetWeight: 0,
                                   band: r.policy.bands.halfWidth(target: 0),
                                   weightBefore: base > 0 ? secs[i].mv / base : 0,
                                   weightAfter: base > 0 ? valueAfter[i] / base : 0))
        }
        return drift
    }

    /// Short- and long-term gains netted against each other, each positive net at its rate; nil
    /// for a taxable account whose rates are unknown (other accounts owe none whatever the rates).
    func estimatedTax(shortTerm: Int64, longTerm: Int64) -> Decimal? {
        if account.kind.isTaxable && !r.policy.taxRatesAreKnown { return nil }
        var st = shortTerm, lt = longTerm
        if st < 0 && lt > 0 { lt += st; st = 0 }
        if lt < 0 && st > 0 { st += lt; lt = 0 }
        return Fixed.decimal(Fixed.timesRateCents(max(0, st), s.shortTermRate) + Fixed.timesRateCents(max(0, lt), s.longTermRate))
    }
}
