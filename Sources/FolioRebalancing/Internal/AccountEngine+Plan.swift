import Foundation

extension AccountEngine {
    /// Assembles the plan; its invariants are recomputed from the emitted plan by ``PlanAudit``.
    mutating func buildPlan(
        order: [Int], decision: TriggerDecision, action: EngineAction, weightsBefore: [Double],
        unlisted: [Int], settlement st: SellSettlement
    ) -> RebalancePlan {
        let accountID = account.id
        var trades: [Trade] = []
        var totalSells: Int64 = 0
        var totalBuys: Int64 = 0
        var totalCosts: Int64 = 0
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
            totalSells += st.gross[i]
            totalCosts += st.cost[i]
            trades.append(Trade(
                accountID: accountID, symbol: sec.symbol, side: .sell, quantity: Fixed.decimal(sec.sellQuantity),
                price: sec.priceDecimal, grossValue: Fixed.decimal(st.gross[i]), cost: Fixed.decimal(st.cost[i]),
                lots: lots, realizedGain: account.kind.isTaxable ? Fixed.decimal(gain) : 0,
                reason: reasons[i] ?? reason(for: i, side: .sell, action: action)))
        }
        for i in order where secs[i].buyQuantity > 0 && st.buyGross[i] > 0 {
            let sec = secs[i]
            totalBuys += st.buyGross[i]
            totalCosts += st.buyCost[i]
            trades.append(Trade(
                accountID: accountID, symbol: sec.symbol, side: .buy, quantity: Fixed.decimal(sec.buyQuantity),
                price: sec.priceDecimal, grossValue: Fixed.decimal(st.buyGross[i]), cost: Fixed.decimal(st.buyCost[i]),
                lots: [], realizedGain: 0, reason: reasons[i] ?? reason(for: i, side: .buy, action: action)))
        }
        var buyOutflow: Int64 = 0
        for i in order where secs[i].buyQuantity > 0 { buyOutflow += st.buyGross[i] + st.buyCost[i] }
        let cashAfter = st.cash - buyOutflow
        if cashAfter < reserve && !warnings.contains(where: { $0.kind == .reserveNotMet }) {
            warnings.append(PlanWarning(
                kind: .reserveNotMet, subject: "",
                message: "cash after trading (\(Fixed.decimal(cashAfter))) is below the reserve (\(Fixed.decimal(reserve)))"))
        }
        // Holdings.
        let base = investable
        var valueAfter = [Double](repeating: 0, count: secs.count)
        var holdings: [HoldingChange] = []
        holdings.reserveCapacity(secs.count)
        var mvBeforeCents: [Int64] = []
        var mvAfterCents: [Int64] = []
        mvBeforeCents.reserveCapacity(secs.count)
        mvAfterCents.reserveCapacity(secs.count)
        for i in order {
            let sec = secs[i]
            let after = sec.held - sec.sellQuantity + sec.buyQuantity
            valueAfter[i] = Fixed.double(Fixed.value(after, sec.price))
            mvBeforeCents.append(Fixed.valueInCents(sec.held, sec.price))
            mvAfterCents.append(Fixed.valueInCents(after, sec.price))
            holdings.append(HoldingChange(
                symbol: sec.symbol, assetClass: sec.assetClass, price: sec.priceDecimal,
                quantityBefore: Fixed.decimal(sec.held), quantityAfter: Fixed.decimal(after),
                marketValueBefore: Fixed.decimal(mvBeforeCents[mvBeforeCents.count - 1]),
                marketValueAfter: Fixed.decimal(mvAfterCents[mvAfterCents.count - 1]),
                weightBefore: base > 0 ? sec.mv / base : 0, weightAfter: base > 0 ? valueAfter[i] / base : 0,
                targetWeight: base > 0 ? sec.fullTarget / base : 0))
        }
        // Asset classes.
        var classTargets: [String: Double] = [:]
        if target.isByAssetClass {
            for sl in target.sleeves { classTargets[sl.assetClass, default: 0] += sl.weight }
        } else {
            for l in lines { if let m = l.members.first { classTargets[secs[m].assetClass, default: 0] += l.weight } }
        }
        var classIndex: [String: Int] = [:]
        var classNames: [String] = []
        var classValues: [(before: Int64, after: Int64, weightBefore: Double, weightAfter: Double)] = []
        for (k, i) in order.enumerated() {
            let name = secs[i].assetClass
            let c: Int
            if let j = classIndex[name] {
                c = j
            } else {
                c = classNames.count
                classIndex[name] = c
                classNames.append(name)
                classValues.append((0, 0, 0, 0))
            }
            classValues[c].before += mvBeforeCents[k]
            classValues[c].after += mvAfterCents[k]
            classValues[c].weightBefore += holdings[k].weightBefore
            classValues[c].weightAfter += holdings[k].weightAfter
        }
        var classes: [AssetClassChange] = classNames.indices.map { c in
            AssetClassChange(
                assetClass: classNames[c], marketValueBefore: Fixed.decimal(classValues[c].before),
                marketValueAfter: Fixed.decimal(classValues[c].after), weightBefore: classValues[c].weightBefore,
                weightAfter: classValues[c].weightAfter, targetWeight: classTargets[classNames[c]] ?? 0)
        }
        classes.sort { $0.assetClass < $1.assetClass }
        // Drift.
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
        let maxBefore = drift.reduce(0.0) { max($0, abs($1.driftBefore)) }
        let maxAfter = drift.reduce(0.0) { max($0, abs($1.driftAfter)) }
        // Tax.
        let stGain = account.kind.isTaxable ? st.shortTerm : 0
        let ltGain = account.kind.isTaxable ? st.longTerm : 0
        var taxableST = stGain
        var taxableLT = ltGain
        if taxableST < 0 && taxableLT > 0 { taxableLT += taxableST; taxableST = 0 }
        if taxableLT < 0 && taxableST > 0 { taxableST += taxableLT; taxableLT = 0 }
        let tax = Fixed.timesRateCents(max(0, taxableST), s.shortTermRate) + Fixed.timesRateCents(max(0, taxableLT), s.longTermRate)
        // A taxable account's tax needs both rates; other accounts owe none whatever the rates.
        let estimatedTax: Decimal? = account.kind.isTaxable && !r.policy.taxRatesAreKnown ? nil : Fixed.decimal(tax)
        let deposit = max(0, facts.cashFlow)
        let withdrawal = max(0, -facts.cashFlow)
        let applied: RebalancePolicy.Mode = switch action {
        case .toTarget: .toTarget
        case .bandEdge: .toNearestBandEdge
        case .cashFlow: .cashFlowOnly
        case .none: r.policy.mode
        }
        var plan = RebalancePlan(
            accountID: accountID, accountKind: account.kind, tradeDate: prices.asOf, trigger: decision,
            appliedMode: applied, trades: trades, skippedTrades: skipped, holdings: holdings, assetClasses: classes,
            drift: drift, maxAbsoluteDriftBefore: maxBefore, maxAbsoluteDriftAfter: maxAfter,
            turnover: accountValue > 0 ? Double(totalSells + totalBuys) / 2 / Double(accountValue) : 0,
            accountValueBefore: Fixed.decimal(accountValue),
            investableValue: Fixed.decimal(accountValue + facts.cashFlow - reserve),
            cashBefore: Fixed.decimal(cash), cashAfter: Fixed.decimal(cashAfter), cashReserve: Fixed.decimal(reserve),
            deposit: Fixed.decimal(deposit), withdrawal: Fixed.decimal(withdrawal),
            totalSells: Fixed.decimal(totalSells), totalBuys: Fixed.decimal(totalBuys),
            totalCosts: Fixed.decimal(totalCosts), realizedShortTermGain: Fixed.decimal(stGain),
            realizedLongTermGain: Fixed.decimal(ltGain), estimatedTax: estimatedTax, warnings: warnings,
            invariants: .unchecked)
        // Invariants: recomputed from the emitted trades and lots, not from the engine's state.
        plan.invariants = PlanAudit.invariants(
            of: plan, account: account, policy: r.policy,
            context: PlanContext(cashFlows: [account.id: Fixed.decimal(facts.cashFlow)]))
        return plan
    }
}
