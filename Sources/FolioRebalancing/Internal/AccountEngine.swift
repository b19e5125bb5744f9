import Foundation

/// One lot in engine units.
struct LotState {
    var index: Int
    var id: String
    var quantity: Int64
    /// Cost basis in fixed units; valid once ``SecurityState/basesLoaded``.
    var basis: Int64
    var basisDecimal: Decimal
    var day: Int
    var acquired: Date
    var isLongTerm: Bool
}

/// One security held or targeted in the account, in engine units.
struct SecurityState {
    var symbol: String
    var assetClass: String
    /// The wash-sale key (substantially-identical group, else the symbol).
    var washKey: String
    var priceDecimal: Decimal
    var price: Int64
    var priceD: Double
    var unit: Int64
    var fractional: Bool
    var held: Int64 = 0
    var lots: [LotState] = []
    var basesLoaded = false
    var mv: Double = 0
    var tradable: Bool
    var doNotSell: Bool
    var doNotBuy: Bool
    var washBlocked: Bool
    var recentlyBought: Bool
    /// Bought today in another account of the household: loss lots are not sold.
    var lossLotsProtected: Bool
    var line = -1
    var harvested = false
    var forcedLots: [Int] = []
    var forcedQuantity: Int64 = 0
    var forcedValue: Double = 0
    var fullTarget: Double = 0
    var desired: Double = 0
    var sellQuantity: Int64 = 0
    var buyQuantity: Int64 = 0

    var canSell: Bool { tradable && !doNotSell }
    var canBuy: Bool { tradable && !doNotBuy && !washBlocked && !harvested }
    var unitValue: Double { Fixed.double(unit) * priceD }
}

/// One target line: a security (security-level target) or an asset class with its members.
struct TargetLine {
    var name: String
    var weight: Double
    /// The sleeve's securities (primary, then alternates), then any other held security of the
    /// class (asset-class targets), which counts toward the line but is never bought.
    var members: [Int]
    /// How many leading members are the sleeve's own (the only ones bought).
    var vehicleCount: Int
    /// The members in the order they are sold when the line holds too much.
    var sellOrder: [Int] = []
    var vehicle: Int?
    var band: Double
    var current: Double = 0
    var target: Double = 0
}

enum EngineAction { case none, toTarget, bandEdge, cashFlow }

/// A slice of a lot consumed by a sell.
struct Slice {
    var lot: Int
    var quantity: Int64
    var gainEstimate: Double
}

/// Rebalances one account. Created per call; not shared.
struct AccountEngine {
    let r: Rebalancer
    let s: EngineSettings
    let facts: AccountRun
    let account: Account
    let target: TargetAllocation
    let prices: Prices
    let tradeDay: Int
    let longTermCutoff: Int
    var secs: [SecurityState] = []
    var lines: [TargetLine] = []
    var warnings: [PlanWarning] = []
    var skipped: [SkippedTrade] = []
    var cash: Int64 = 0
    var reserve: Int64 = 0
    var accountValue: Int64 = 0
    var investable: Double = 0
    var slices: [[Slice]] = []
    var reasons: [TradeReason?] = []
    var lotOrders: [[Int]] = []
    var budgetCut: [Int: Int64] = [:]

    init(rebalancer: Rebalancer, account: Account, target: TargetAllocation, prices: Prices, run: AccountRun) throws(RebalanceError) {
        self.r = rebalancer
        self.s = rebalancer.settings
        self.facts = run
        self.account = account
        self.target = target
        self.prices = prices
        tradeDay = CivilDay.of(prices.asOf)
        longTermCutoff = Self.longTermCutoff(tradeDay: tradeDay)
        try load()
    }

    /// The first civil day whose lots are short-term on `tradeDay`: long-term means sold after
    /// the first anniversary, i.e. acquired before (trade date − 1 year).
    static func longTermCutoff(tradeDay: Int) -> Int {
        let (y, m, d) = CivilDay.civil(tradeDay)
        return CivilDay.from(year: y - 1, month: m, day: min(d, CivilDay.daysInMonth(y - 1, m)))
    }

    // MARK: Loading

    private mutating func state(for symbol: String, context: String, requirePrice: Bool) throws(RebalanceError) -> Int? {
        guard let (sec, unit) = r.master[symbol] else { throw .unknownSecurity(symbol: symbol, context: context) }
        guard let priceDecimal = prices.bySymbol[symbol] else {
            if requirePrice { throw .missingPrice(symbol: symbol, context: context) }
            return nil
        }
        guard let price = Fixed.from(priceDecimal) else {
            if priceDecimal.isNaN { throw .invalidPrice(symbol: symbol, price: priceDecimal) }
            throw Fixed.conversionError(field: "price of \(symbol)", context: "prices", value: priceDecimal)
        }
        guard price > 0 else { throw .invalidPrice(symbol: symbol, price: priceDecimal) }
        let key = sec.washSaleKey
        secs.append(SecurityState(
            symbol: symbol, assetClass: sec.assetClass, washKey: key, priceDecimal: priceDecimal, price: price,
            priceD: Fixed.double(price), unit: unit, fractional: sec.allowsFractionalShares,
            tradable: sec.isTradable,
            doNotSell: !account.doNotSell.isEmpty && account.doNotSell.contains(symbol),
            doNotBuy: !account.doNotBuy.isEmpty && account.doNotBuy.contains(symbol),
            washBlocked: !facts.lossSaleDays.isEmpty && s.within(facts.lossSaleDays[key], tradeDay: tradeDay),
            recentlyBought: !facts.buyDays.isEmpty && s.within(facts.buyDays[key], tradeDay: tradeDay),
            lossLotsProtected: account.kind.isTaxable && facts.boughtElsewhereToday.contains(key)))
        return secs.count - 1
    }

    private mutating func load() throws(RebalanceError) {
        let context = "account \(account.id)"
        guard let c = Fixed.from(account.cash) else {
            throw Fixed.conversionError(field: "cash", context: context, value: account.cash)
        }
        guard c >= 0 else { throw .negativeCash(account: account.id, cash: account.cash) }
        cash = c
        var index: [String: Int] = [:]
        index.reserveCapacity(account.positions.count + target.securityWeights.count + target.sleeves.count * 2)
        // Lot ids must be unique within a position (checked cheaply here); across the account
        // they are checked when specific lots are named.
        var lotIDs = Set<String>()
        let checkAccountWide = facts.specificLots != nil
        // Ids of zero-quantity lots, which are not loaded but still take their id: a later lot
        // with the same id is a duplicate (else the plan's lot sales would name two lots at once).
        var emptyLotIDs: [Int: [String]] = [:]
        // Held positions.
        for p in account.positions {
            let i: Int
            if let j = index[p.symbol] {
                i = j
            } else {
                i = try state(for: p.symbol, context: context, requirePrice: true)!
                index[p.symbol] = i
            }
            for lot in p.lots {
                guard let q = Fixed.from(lot.quantity) else {
                    throw Fixed.conversionError(field: "quantity of lot \(lot.id)", context: context, value: lot.quantity)
                }
                guard q >= 0 else {
                    throw .negativeQuantity(account: account.id, symbol: p.symbol, lotID: lot.id, quantity: lot.quantity)
                }
                // The basis is converted lazily (only lots that may be sold need it).
                guard !lot.costBasis.isNaN, !lot.costBasis.isSignMinus || lot.costBasis.isZero else {
                    throw .negativeCostBasis(account: account.id, symbol: p.symbol, lotID: lot.id, costBasis: lot.costBasis)
                }
                if checkAccountWide {
                    guard lotIDs.insert(lot.id).inserted else { throw .duplicateLotID(account: account.id, lotID: lot.id) }
                } else if secs[i].lots.contains(where: { $0.id == lot.id }) || emptyLotIDs[i]?.contains(lot.id) == true {
                    throw .duplicateLotID(account: account.id, lotID: lot.id)
                }
                if q == 0 {
                    if !checkAccountWide { emptyLotIDs[i, default: []].append(lot.id) }
                    continue
                }
                let day = CivilDay.of(lot.acquired)
                secs[i].lots.append(LotState(
                    index: secs[i].lots.count, id: lot.id, quantity: q, basis: 0, basisDecimal: lot.costBasis, day: day,
                    acquired: lot.acquired, isLongTerm: day < longTermCutoff))
                let (held, overflow) = secs[i].held.addingReportingOverflow(q)
                guard !overflow, held <= Fixed.limit else {
                    throw .amountOutOfRange(field: "quantity of \(p.symbol)", context: context, value: lot.quantity)
                }
                secs[i].held = held
            }
        }
        if let ids = facts.specificLots {
            for id in ids where !lotIDs.contains(id) { throw .specificLotNotFound(lotID: id, account: account.id) }
        }
        try loadTargetLines(index: &index)
        try loadValues(context: context)
        slices = Array(repeating: [], count: secs.count)
        reasons = Array(repeating: nil, count: secs.count)
    }

    /// One line per sleeve (with the held members of its class) or per target security.
    private mutating func loadTargetLines(index: inout [String: Int]) throws(RebalanceError) {
        if target.isByAssetClass {
            for sleeve in target.sleeves {
                var members: [Int] = []
                for (k, symbol) in sleeve.members.enumerated() {
                    if let j = index[symbol] {
                        members.append(j)
                    } else if let j = try state(for: symbol, context: "target", requirePrice: k == 0) {
                        index[symbol] = j
                        members.append(j)
                    }
                }
                lines.append(TargetLine(
                    name: sleeve.assetClass, weight: sleeve.weight, members: members, vehicleCount: members.count,
                    vehicle: nil, band: r.policy.bands.halfWidth(target: sleeve.weight)))
            }
            addClassMembers(index: index)
        } else {
            for w in target.securityWeights {
                let j: Int
                if let k = index[w.symbol] {
                    j = k
                } else {
                    j = try state(for: w.symbol, context: "target", requirePrice: true)!
                    index[w.symbol] = j
                }
                lines.append(TargetLine(
                    name: w.symbol, weight: w.weight, members: [j], vehicleCount: 1, vehicle: nil,
                    band: r.policy.bands.halfWidth(target: w.weight)))
            }
        }
        for (l, line) in lines.enumerated() { for m in line.members { secs[m].line = l } }
    }

    /// Market values, the account value, the reserve and the investable value.
    private mutating func loadValues(context: String) throws(RebalanceError) {
        var total = cash
        for i in secs.indices where secs[i].held > 0 {
            guard let v = Fixed.checkedValue(secs[i].held, secs[i].price) else {
                throw .amountOutOfRange(field: "market value of \(secs[i].symbol)", context: context, value: secs[i].priceDecimal)
            }
            let (t, o) = total.addingReportingOverflow(v)
            guard !o, t <= Fixed.limit else {
                throw .amountOutOfRange(field: "market value of \(secs[i].symbol)", context: context, value: Fixed.decimal(v))
            }
            total = t
            secs[i].mv = Fixed.double(v)
        }
        accountValue = total
        let afterFlow = total + facts.cashFlow
        if afterFlow < 0 {
            throw .withdrawalExceedsAvailableValue(
                account: account.id, requested: Fixed.decimal(-facts.cashFlow), available: Fixed.decimal(total))
        }
        reserve = facts.reserve ?? s.reserve(afterFlow: afterFlow)
        investable = Fixed.double(afterFlow - reserve)
        // The largest buy spends the whole account: its quantity must fit the fixed-point range
        // (``Fixed/limit``, about 2.3e10 shares), or sizing would silently cap it.
        let largestQuantity = Fixed.double(Fixed.limit)
        for i in secs.indices where secs[i].line >= 0 && secs[i].priceD > 0 {
            if Fixed.double(afterFlow) / secs[i].priceD >= largestQuantity {
                throw .amountOutOfRange(
                    field: "value to invest in \(secs[i].symbol) at price \(secs[i].priceDecimal) (a buy of more than \(Fixed.limit / Fixed.one) shares)",
                    context: context, value: Fixed.decimal(afterFlow))
            }
        }
    }

    /// Asset-class targets: every held security of a target class that is not one of the
    /// sleeve's own counts toward that class, once (a single stock toward its class).
    private mutating func addClassMembers(index: [String: Int]) {
        var lineOfClass: [String: Int] = [:]
        for (l, line) in lines.enumerated() { lineOfClass[line.name] = l }
        var inLine = Set<Int>()
        for line in lines { inLine.formUnion(line.members) }
        for p in account.positions {
            guard let i = index[p.symbol], !inLine.contains(i), secs[i].held > 0,
                  let l = lineOfClass[secs[i].assetClass] else { continue }
            lines[l].members.append(i)
            inLine.insert(i)
        }
    }

    /// Whether selling a lot of security `i` could realize a loss: its value, less the spread
    /// and a whole commission, is below its basis (needs its bases loaded).
    func isLossLot(_ i: Int, _ lot: LotState) -> Bool {
        Fixed.double(lot.quantity) * secs[i].priceD * (1 - s.spreadDouble) - Fixed.double(s.commission) < Fixed.double(lot.basis)
    }

    /// Converts the cost bases of security `i`'s lots to fixed units.
    mutating func loadBases(_ i: Int) throws(RebalanceError) {
        guard !secs[i].basesLoaded else { return }
        for k in secs[i].lots.indices {
            let d = secs[i].lots[k].basisDecimal
            guard let b = Fixed.from(d) else {
                throw Fixed.conversionError(field: "cost basis of lot \(secs[i].lots[k].id)", context: "account \(account.id)", value: d)
            }
            secs[i].lots[k].basis = b
        }
        secs[i].basesLoaded = true
    }

    // MARK: Running

    mutating func run() throws(RebalanceError) -> RebalancePlan {
        let order = secs.indices.sorted { secs[$0].symbol < secs[$1].symbol }
        // Line values and drift before.
        for l in lines.indices {
            lines[l].current = lines[l].members.reduce(0) { $0 + secs[$1].mv }
        }
        let weightsBefore = lineWeights { secs[$0].mv }
        let unlisted = order.filter { secs[$0].line < 0 && secs[$0].held > 0 }
        let decision = decideTrigger(weightsBefore: weightsBefore, unlisted: unlisted)
        var action: EngineAction = .none
        if decision.isTriggered {
            switch r.policy.mode {
            case .toTarget: action = .toTarget
            case .toNearestBandEdge: action = .bandEdge
            case .cashFlowOnly: action = .cashFlow
            }
        } else if facts.cashFlow != 0 {
            action = .cashFlow
        }
        // Tax-loss harvesting chooses forced sells and each class's vehicle.
        chooseVehicles()
        if account.kind.isTaxable, s.harvestMinimumLoss != nil { try harvest(order: order) }
        // Where each security should end up.
        try computeDesired(action: action, unlisted: unlisted)
        // Trade sizing and settlement.
        try sizeSells(order: order, action: action)
        var settlement = try settleSells(order: order)
        if action != .none || secs.contains(where: { $0.harvested }) {
            sizeBuys(order: order, action: action, settlement: &settlement)
        }
        return buildPlan(order: order, decision: decision, action: action, weightsBefore: weightsBefore,
                         unlisted: unlisted, settlement: settlement)
    }

    /// Weights of each line, by a per-security value.
    func lineWeights(_ value: (Int) -> Double) -> [Double] {
        let base = investable
        return lines.map { line in
            base > 0 ? line.members.reduce(0) { $0 + value($1) } / base : 0
        }
    }

    // MARK: Trigger

    /// Whether the policy's trigger fires, with the sentence that says why (or why not).
    func decideTrigger(weightsBefore: [Double], unlisted: [Int]) -> TriggerDecision {
        let policy = r.policy
        var calendar: (due: Bool, text: String)? = nil
        var bands: (breached: Bool, text: String)? = nil
        let triggered: Bool
        switch policy.trigger {
        case .always:
            triggered = true
        case .calendar(let f):
            calendar = calendarCheck(f)
            triggered = calendar!.due
        case .bands:
            bands = bandCheck(weightsBefore: weightsBefore, unlisted: unlisted)
            triggered = bands!.breached
        case .calendarOrBands(let f):
            calendar = calendarCheck(f)
            bands = bandCheck(weightsBefore: weightsBefore, unlisted: unlisted)
            triggered = calendar!.due || bands!.breached
        case .calendarAndBands(let f):
            calendar = calendarCheck(f)
            bands = bandCheck(weightsBefore: weightsBefore, unlisted: unlisted)
            triggered = calendar!.due && bands!.breached
        }
        var explanation: String
        if case .always = policy.trigger {
            explanation = "rebalance requested"
        } else if triggered {
            explanation = [calendar?.text ?? "", bands?.text ?? ""].filter { !$0.isEmpty }.joined(separator: "; ")
        } else {
            explanation = quietExplanation(calendarDue: calendar?.due)
        }
        return TriggerDecision(
            isTriggered: triggered, cashFlowPending: facts.cashFlow != 0, calendarDue: calendar?.due,
            bandBreached: bands?.breached, explanation: explanation)
    }

    /// Whether the calendar period since the last rebalance has elapsed, with its sentence.
    func calendarCheck(_ f: RebalancePolicy.Frequency) -> (due: Bool, text: String) {
        guard let last = facts.lastRebalanceDate else { return (true, "no previous rebalance") }
        let isDue = tradeDay >= CivilDay.adding(months: f.months, to: CivilDay.of(last))
        return (isDue, isDue ? "\(f.displayName) rebalance due" : "")
    }

    /// Whether a line (or a holding outside the target) is outside its band, with a sentence
    /// naming the worst one.
    func bandCheck(weightsBefore: [Double], unlisted: [Int]) -> (breached: Bool, text: String) {
        var worst: (excess: Double, name: String, band: Double, drift: Double, isUnlisted: Bool)? = nil
        for (l, line) in lines.enumerated() {
            let d = weightsBefore[l] - line.weight
            let excess = abs(d) - line.band
            if excess > 1e-12 && excess > (worst?.excess ?? 0) { worst = (excess, line.name, line.band, d, false) }
        }
        let band = r.policy.bands.halfWidth(target: 0)
        for i in unlisted where investable > 0 {
            let w = secs[i].mv / investable
            if w - band > 1e-12 && w - band > (worst?.excess ?? 0) { worst = (w - band, secs[i].symbol, band, w, true) }
        }
        guard let worst else { return (false, "") }
        if worst.isUnlisted {
            return (true, "\(worst.name) is not in the account's target and is \(formatPoints(worst.drift * 100)) pts of the account")
        }
        let side = worst.drift > 0 ? "over" : "under"
        return (true, "\(worst.name) is \(formatPoints(abs(worst.drift) * 100)) pts \(side) target, band \(formatPoints(worst.band * 100)) pts")
    }

    /// Why nothing triggered, for the policy's trigger.
    func quietExplanation(calendarDue: Bool?) -> String {
        var explanation: String
        switch r.policy.trigger {
        case .calendar: explanation = "no trigger: calendar period not elapsed"
        case .calendarOrBands: explanation = "no trigger: calendar period not elapsed and all lines within bands"
        case .calendarAndBands:
            explanation = calendarDue == true ? "no trigger: calendar due but all lines within bands"
                : "no trigger: calendar period not elapsed (bands are checked only when it has)"
        default: explanation = "no trigger: all lines within bands"
        }
        if facts.cashFlow != 0 { explanation += "; trading the pending cash flow only" }
        return explanation
    }

    // MARK: Vehicles and harvesting

    /// The security each line buys with: the primary (or single security) when it can be
    /// bought, else the first eligible alternate; never a held security outside the sleeve.
    mutating func chooseVehicles() {
        for l in lines.indices {
            lines[l].vehicle = lines[l].members.prefix(lines[l].vehicleCount).first { secs[$0].canBuy }
        }
    }

    mutating func harvest(order: [Int]) throws(RebalanceError) {
        guard target.isByAssetClass else {
            warnings.append(PlanWarning(
                kind: .harvestingNeedsAlternates, subject: "",
                message: "tax-loss harvesting needs a target by asset class with alternates; nothing harvested"))
            return
        }
        let minLoss = Fixed.double(s.harvestMinimumLoss ?? 0)
        for i in order where secs[i].line >= 0 && secs[i].held > 0 {
            try loadBases(i)
            let p = secs[i].priceD
            var candidates: [Int] = []
            var lossTotal = 0.0
            for (k, lot) in secs[i].lots.enumerated() {
                let value = Fixed.double(lot.quantity) * p
                let basis = Fixed.double(lot.basis)
                let loss = basis - value
                if loss > 0 && loss >= minLoss && loss >= s.harvestMinimumPercent * basis {
                    candidates.append(k)
                    lossTotal += loss
                }
            }
            guard !candidates.isEmpty else { continue }
            let quantity = candidates.reduce(Int64(0)) { $0 + secs[i].lots[$1].quantity }
            let value = Fixed.double(quantity) * p
            func skip(_ reason: SkippedTrade.Reason) {
                skipped.append(SkippedTrade(
                    symbol: secs[i].symbol, side: .sell, quantity: Fixed.decimal(quantity),
                    approximateValue: Fixed.decimal(Fixed.roundCents(Int64(value * 1e8))), reason: reason))
            }
            if !secs[i].canSell { skip(secs[i].tradable ? .doNotSell : .notTradable); continue }
            if secs[i].recentlyBought || secs[i].lossLotsProtected { skip(.washSale); continue }
            let line = secs[i].line
            let sleeve = lines[line].members.prefix(lines[line].vehicleCount)
            // A replacement in the same substantially-identical group would make the harvest a wash sale.
            guard let replacement = sleeve.first(where: { secs[$0].washKey != secs[i].washKey && secs[$0].canBuy }) else {
                skip(.noReplacement)
                continue
            }
            secs[i].harvested = true
            secs[i].forcedLots = candidates
            secs[i].forcedQuantity = quantity
            secs[i].forcedValue = value
            lines[line].vehicle = replacement
            reasons[i] = TradeReason(kind: .taxLossHarvest, line: lines[line].name, driftPoints: 0,
                                     bandPoints: nil, relatedSymbol: secs[replacement].symbol)
            reasons[replacement] = TradeReason(kind: .harvestReplacement, line: lines[line].name, driftPoints: 0,
                                               bandPoints: nil, relatedSymbol: secs[i].symbol)
        }
    }

    // MARK: Desired values

    /// Line targets in currency for an investable base.
    ///
    /// A line whose holdings cannot be sold below some value (do-not-sell, not tradable) keeps
    /// that value, and the other lines share what is left in proportion to their weights. A
    /// line that cannot be bought (no eligible security) is capped at what it holds and its
    /// shortfall stays in cash: it is never spread over the other lines, so no line ends above
    /// its own share because another was blocked.
    mutating func solveLineTargets(base: Double) {
        let n = lines.count
        var floorV = [Double](repeating: 0, count: n)
        var capV = [Double](repeating: .infinity, count: n)
        for l in 0..<n {
            for m in lines[l].members where !secs[m].canSell { floorV[l] += secs[m].mv }
            if lines[l].vehicle == nil { capV[l] = max(floorV[l], lines[l].current) }
        }
        var atFloor = [Bool](repeating: false, count: n)
        var lambda = base
        for _ in 0...n {
            var remaining = base
            var weights = 0.0
            for l in 0..<n { if atFloor[l] { remaining -= floorV[l] } else { weights += lines[l].weight } }
            lambda = weights > 0 ? max(0, remaining) / weights : 0
            var changed = false
            for l in 0..<n where !atFloor[l] && lines[l].weight * lambda < floorV[l] - 1e-9 {
                atFloor[l] = true
                changed = true
            }
            if !changed { break }
        }
        for l in 0..<n {
            lines[l].target = atFloor[l] ? floorV[l] : min(lines[l].weight * lambda, capV[l])
        }
    }

    /// Spreads a line's value over its members: keeps holdings, adds to the vehicle, or sells
    /// the non-vehicle members first. Writes into `values`.
    /// Every security's value at target for an investable base.
    mutating func fullTargets(base: Double, unlisted: [Int]) -> [Double] {
        solveLineTargets(base: base)
        var full = [Double](repeating: 0, count: secs.count)
        for l in lines.indices { distribute(line: l, amount: lines[l].target, into: &full) }
        for i in unlisted { full[i] = secs[i].canSell ? 0 : secs[i].mv }
        return full
    }

    /// Self-financing: the spread and commissions of trading to `full` come out of the buys,
    /// in proportion to their size, so the account pays its own costs and no buy is cut for
    /// cash afterwards. Sells are left as they are (costs never cause a sell), and a trade whose
    /// cost would be at least its value is not counted (it is skipped later).
    func payCostsFromBuys(_ full: inout [Double]) {
        guard s.spreadRate > 0 || s.commission > 0 else { return }
        let minimum = max(Fixed.double(s.minimumTrade), 0.01)
        let commission = Fixed.double(s.commission)
        var costs = 0.0
        var buys = 0.0
        for i in secs.indices {
            let traded = abs(full[i] - secs[i].mv)
            guard traded >= minimum, traded * (1 - s.spreadDouble) > commission else { continue }
            costs += traded * s.spreadDouble + commission
            if full[i] > secs[i].mv { buys += full[i] - secs[i].mv }
        }
        guard costs > 0, buys > 0 else { return }
        let keep = max(0, 1 - costs / buys)
        for i in secs.indices where full[i] > secs[i].mv { full[i] = secs[i].mv + (full[i] - secs[i].mv) * keep }
    }

    /// The order each line sells its members in when it holds too much: in a taxable account
    /// the members whose sale realizes the least gain per dollar first (losses first), else the
    /// members outside the sleeve first; the buying vehicle last in both.
    mutating func orderLineSells() throws(RebalanceError) {
        for l in lines.indices {
            var others = lines[l].members.filter { $0 != lines[l].vehicle }
            if account.kind.isTaxable {
                var ratio: [Int: Double] = [:]
                for m in others where secs[m].held > 0 {
                    try loadBases(m)
                    let basis = secs[m].lots.reduce(0.0) { $0 + Fixed.double($1.basis) }
                    ratio[m] = secs[m].mv > 0 ? (secs[m].mv - basis) / secs[m].mv : 0
                }
                others.sort { (ratio[$0] ?? 0, $0) < (ratio[$1] ?? 0, $1) }
            } else {
                others.reverse()
            }
            if let v = lines[l].vehicle { others.append(v) }
            lines[l].sellOrder = others
        }
    }

    func distribute(line l: Int, amount: Double, into values: inout [Double]) {
        let line = lines[l]
        var sum = 0.0
        for m in line.members {
            values[m] = secs[m].mv - secs[m].forcedValue
            sum += values[m]
        }
        if amount >= sum {
            if let v = line.vehicle { values[v] += amount - sum }
            return
        }
        var excess = sum - amount
        for m in line.sellOrder where excess > 0 && secs[m].canSell {
            let take = min(values[m], excess)
            values[m] -= take
            excess -= take
        }
    }

    mutating func computeDesired(action: EngineAction, unlisted: [Int]) throws(RebalanceError) {
        // Fractional quantities hit their dollar targets almost exactly, so cent rounding of the
        // trade values could overdraw the reserve; a cushion of one cent per fractional security
        // (plus one) absorbs it. Whole-share sizing leaves slack anyway.
        let fractionalCount = secs.reduce(0) { $0 + ($1.fractional ? 1 : 0) }
        let cushion = fractionalCount > 0 ? 0.01 * Double(fractionalCount + 1) : 0
        var lockedUnlisted = 0.0
        for i in unlisted where !secs[i].canSell {
            lockedUnlisted += secs[i].mv
        }
        try orderLineSells()
        let base = max(0, investable - cushion - lockedUnlisted)
        var full = fullTargets(base: base, unlisted: unlisted)
        payCostsFromBuys(&full)
        for i in secs.indices { secs[i].fullTarget = full[i] }
        noteRestrictions(unlisted: unlisted, action: action)

        var desired = [Double](repeating: 0, count: secs.count)
        switch action {
        case .none:
            for i in secs.indices { desired[i] = secs[i].mv }
            for l in lines.indices { distribute(line: l, amount: lines[l].current, into: &desired) }
        case .toTarget:
            desired = full
        case .bandEdge:
            for l in lines.indices {
                let line = lines[l]
                let w = investable > 0 ? line.current / investable : 0
                let t = investable > 0 ? line.target / investable : 0
                var amount = line.current
                if w > t + line.band { amount = (t + line.band) * investable }
                else if w < t - line.band { amount = (t - line.band) * investable }
                distribute(line: l, amount: amount, into: &desired)
            }
            for i in unlisted { desired[i] = full[i] }
        case .cashFlow:
            desired = try cashFlowTargets(unlisted: unlisted, cushion: cushion)
        }
        for i in secs.indices { secs[i].desired = desired[i] }
    }

    mutating func noteRestrictions(unlisted: [Int], action: EngineAction) {
        guard action != .none else { return }
        for i in unlisted where !secs[i].canSell {
            warnings.append(PlanWarning(
                kind: .restrictedHoldingKept, subject: secs[i].symbol,
                message: "\(secs[i].symbol) is not in the target but is \(secs[i].tradable ? "do-not-sell" : "not tradable"); kept, and the target scaled around it"))
        }
        for l in lines.indices {
            let line = lines[l]
            let overTarget = line.current > line.weight * investable + 0.005
            for m in line.members where overTarget && !secs[m].canSell && secs[m].mv > 0 {
                warnings.append(PlanWarning(
                    kind: .restrictedHoldingKept, subject: secs[m].symbol,
                    message: "\(secs[m].symbol) is over target but \(secs[m].tradable ? "do-not-sell" : "not tradable"); kept, and the target scaled around it"))
            }
            if line.vehicle == nil, let first = line.members.first {
                let unclamped = line.weight * investable
                if unclamped > line.current + 0.005 {
                    let sec = secs[first]
                    let reason: SkippedTrade.Reason = !sec.tradable ? .notTradable : sec.doNotBuy ? .doNotBuy : .washSale
                    let want = unclamped - line.current
                    let q = Fixed.units((want / sec.priceD / Fixed.double(sec.unit)).rounded(.down), unit: sec.unit) * sec.unit
                    skipped.append(SkippedTrade(
                        symbol: sec.symbol, side: .buy, quantity: Fixed.decimal(q),
                        approximateValue: Fixed.decimal(Fixed.roundCents(Int64(want * 1e8))), reason: reason))
                    warnings.append(PlanWarning(
                        kind: .restrictedPurchase, subject: line.name,
                        message: "\(line.name) cannot be bought (\(reason.explanation)) and has no eligible alternate; its share is held in cash"))
                }
            }
        }
    }

    /// Cash-flow-only targets: cash above the reserve buys the most underweight lines
    /// (water-filling); a shortfall sells the most overweight lines.
    func cashFlowTargets(unlisted: [Int], cushion: Double) throws(RebalanceError) -> [Double] {
        var desired = [Double](repeating: 0, count: secs.count)
        for i in secs.indices { desired[i] = secs[i].mv }
        // Items: lines then unlisted holdings.
        var current: [Double] = lines.map(\.current)
        var goal: [Double] = lines.map(\.target)
        var buyable: [Bool] = lines.map { $0.vehicle != nil }
        var sellable: [Double] = lines.map { line in
            line.members.reduce(0) { $0 + (secs[$1].canSell ? secs[$1].mv - secs[$1].forcedValue : 0) }
        }
        for i in unlisted {
            current.append(secs[i].mv)
            goal.append(secs[i].canSell ? 0 : secs[i].mv)
            buyable.append(false)
            sellable.append(secs[i].canSell ? secs[i].mv : 0)
        }
        let available = Fixed.double(cash + facts.cashFlow - reserve) - cushion
        var amounts = current
        if available >= 0 {
            let deficits = zip(goal, current).enumerated().map { buyable[$0.offset] ? max(0, $0.element.0 - $0.element.1) : 0 }
            let level = waterLevel(deficits.map { ($0, Double.infinity) }, amount: available, lowest: 0)
            for k in amounts.indices { amounts[k] += max(0, deficits[k] - level) }
        } else {
            let need = -available
            let totalSellable = sellable.reduce(0, +)
            let excess = zip(current, goal).map { $0 - $1 }
            if totalSellable <= need {
                if Fixed.double(cash + facts.cashFlow) + totalSellable < 0 {
                    throw .withdrawalExceedsAvailableValue(
                        account: account.id, requested: Fixed.decimal(-facts.cashFlow),
                        available: Fixed.decimal(cash + Int64(totalSellable * 1e8)))
                }
                for k in amounts.indices { amounts[k] -= sellable[k] }
            } else {
                let lowest = -(current.max() ?? 0) - 1
                let level = waterLevel(zip(excess, sellable).map { ($0, $1) }, amount: need, lowest: lowest)
                for k in amounts.indices { amounts[k] -= min(sellable[k], max(0, excess[k] - level)) }
            }
        }
        for l in lines.indices { distribute(line: l, amount: amounts[l], into: &desired) }
        for (k, i) in unlisted.enumerated() { desired[i] = amounts[lines.count + k] }
        return desired
    }

    /// The level `L >= lowest` with `sum(min(cap, max(0, x − L))) == amount` (bisection).
    func waterLevel(_ items: [(x: Double, cap: Double)], amount: Double, lowest: Double) -> Double {
        func total(_ level: Double) -> Double { items.reduce(0) { $0 + min($1.cap, max(0, $1.x - level)) } }
        if total(lowest) <= amount { return lowest }
        var lo = lowest
        var hi = (items.map(\.x).max() ?? 0) + 1
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if total(mid) > amount { lo = mid } else { hi = mid }
            if hi - lo < 1e-9 { break }
        }
        return hi
    }
}
