import Foundation

/// The exact money of the sells, recomputed whenever sell quantities change.
struct SellSettlement {
    struct LotFill {
        var lot: Int
        var quantity: Int64
        var basis: Int64
        var proceeds: Int64
        var gain: Int64
        var isLongTerm: Bool
    }
    var gross: [Int64]
    var cost: [Int64]
    var fills: [[LotFill]]
    var cash: Int64
    var shortTerm: Int64 = 0
    var longTerm: Int64 = 0
    var buyGross: [Int64]
    var buyCost: [Int64]
}

extension AccountEngine {
    // MARK: Lots

    /// Lots of security `i` in the order they are sold: harvested lots first, then the
    /// policy's method (FIFO for accounts that are not taxable).
    func lotOrder(_ i: Int) -> [Int] {
        let sec = secs[i]
        let lots = sec.lots
        var rest = Array(lots.indices)
        if !sec.forcedLots.isEmpty {
            let forced = Set(sec.forcedLots)
            rest.removeAll { forced.contains($0) }
        }
        let method = account.kind.isTaxable ? r.policy.lotMethod : .fifo
        func fifo(_ a: Int, _ b: Int) -> Bool {
            lots[a].day != lots[b].day ? lots[a].day < lots[b].day : lots[a].id < lots[b].id
        }
        switch method {
        case .fifo:
            rest.sort(by: fifo)
        case .lifo:
            rest.sort { lots[$0].day != lots[$1].day ? lots[$0].day > lots[$1].day : lots[$0].id < lots[$1].id }
        case .highestCost:
            rest.sort {
                let ca = Double(lots[$0].basis) / Double(lots[$0].quantity)
                let cb = Double(lots[$1].basis) / Double(lots[$1].quantity)
                return ca != cb ? ca > cb : fifo($0, $1)
            }
        case .specificLots:
            let ids = facts.specificLots ?? []
            var named: [Int] = []
            for id in ids {
                if let k = rest.firstIndex(where: { lots[$0].id == id }) { named.append(rest.remove(at: k)) }
            }
            rest.sort(by: fifo)
            rest = named + rest
        case .taxMinimizing:
            let p = sec.priceD
            // Category: 0 short-term loss, 1 long-term loss, 2 long-term gain, 3 short-term gain;
            // within each, gain per dollar sold ascending (largest loss / smallest gain first).
            let keys: [(Int, Double)] = lots.map { lot in
                let value = Double(lot.quantity) * p
                let ratio = (value - Double(lot.basis)) / value
                let category = ratio < 0 ? (lot.isLongTerm ? 1 : 0) : (lot.isLongTerm ? 2 : 3)
                return (category, ratio)
            }
            rest.sort {
                let a = keys[$0], b = keys[$1]
                if a.0 != b.0 { return a.0 < b.0 }
                if a.1 != b.1 { return a.1 < b.1 }
                return fifo($0, $1)
            }
        }
        if sec.lossLotsProtected { rest.removeAll { isLossLot(i, lots[$0]) } }
        return sec.forcedLots.sorted() + rest
    }

    /// Consumes `quantity` from the lots of `i` in `order`.
    func consume(_ i: Int, quantity: Int64, order: [Int]) -> [Slice] {
        var left = quantity
        var out: [Slice] = []
        let p = secs[i].priceD
        for k in order where left > 0 {
            let lot = secs[i].lots[k]
            let q = min(left, lot.quantity)
            let gain = Fixed.double(q) * p - Fixed.double(lot.basis) * (Double(q) / Double(lot.quantity))
            out.append(Slice(lot: k, quantity: q, gainEstimate: gain))
            left -= q
        }
        return out
    }

    /// Why a trade of `q` units of `i` is not worth sending: its gross value is below the
    /// minimum (and always below one cent), or its cost is at least its value.
    func uneconomic(_ i: Int, _ q: Int64) -> SkippedTrade.Reason? {
        let gross = Fixed.valueInCents(q, secs[i].price)
        if gross < max(s.minimumTrade, Fixed.centUnits) { return .belowMinimumTradeValue }
        if s.commission + Fixed.timesRateCents(gross, s.spreadRate) >= gross { return .costExceedsValue }
        return nil
    }

    // MARK: Sells

    mutating func sizeSells(order: [Int], action: EngineAction) throws(RebalanceError) {
        for i in order {
            let sec = secs[i]
            let delta = sec.desired - sec.mv
            guard sec.held > 0, delta < -0.005 || sec.forcedQuantity > 0 else { continue }
            guard sec.canSell else { continue }
            var q: Int64
            if sec.desired <= 1e-6 {
                q = sec.held
            } else {
                let units = ((-delta) / sec.priceD / Fixed.double(sec.unit) - 1e-9).rounded(.up)
                q = units >= Double(sec.held / sec.unit + 1) ? sec.held : min(sec.held, Fixed.units(units, unit: sec.unit) * sec.unit)
            }
            q = max(q, sec.forcedQuantity)
            if sec.lossLotsProtected { q = try keepingLossLots(i, quantity: q) }
            guard q > 0 else { continue }
            let gross = Fixed.valueInCents(q, sec.price)
            if let reason = uneconomic(i, q) {
                skipped.append(SkippedTrade(
                    symbol: sec.symbol, side: .sell, quantity: Fixed.decimal(q),
                    approximateValue: Fixed.decimal(gross), reason: reason))
                continue
            }
            secs[i].sellQuantity = q
            if reasons[i] == nil { reasons[i] = reason(for: i, side: .sell, action: action) }
        }
        for i in order where secs[i].sellQuantity > 0 { try loadBases(i) }
        let orders = order.map { secs[$0].sellQuantity > 0 ? lotOrder($0) : [] }
        var lotOrders = [[Int]](repeating: [], count: secs.count)
        for (k, i) in order.enumerated() { lotOrders[i] = orders[k] }
        for i in order where secs[i].sellQuantity > 0 {
            slices[i] = consume(i, quantity: secs[i].sellQuantity, order: lotOrders[i])
            if case .specificLots = r.policy.lotMethod, account.kind.isTaxable {
                let named = Set(facts.specificLots ?? [])
                if slices[i].contains(where: { !named.contains(secs[i].lots[$0.lot].id) }) {
                    warnings.append(PlanWarning(
                        kind: .specificLotsInsufficient, subject: secs[i].symbol,
                        message: "specific lots did not cover the sell of \(secs[i].symbol); FIFO lots used for the rest"))
                }
            }
        }
        self.lotOrders = lotOrders
    }

    /// A sell of `i` cut to its lots at a gain: the security is bought today in another
    /// account of the household, and a loss sold now would be a wash sale (disallowed for good
    /// when the buy is in an IRA). The lots kept are reported as skipped.
    mutating func keepingLossLots(_ i: Int, quantity q: Int64) throws(RebalanceError) -> Int64 {
        try loadBases(i)
        let sellable = secs[i].lots.reduce(Int64(0)) { $0 + (isLossLot(i, $1) ? 0 : $1.quantity) }
        guard q > sellable else { return q }
        let allowed = sellable / secs[i].unit * secs[i].unit
        skipped.append(SkippedTrade(
            symbol: secs[i].symbol, side: .sell, quantity: Fixed.decimal(q - allowed),
            approximateValue: Fixed.decimal(Fixed.valueInCents(q - allowed, secs[i].price)), reason: .washSale))
        warnings.append(PlanWarning(
            kind: .washSaleAvoided, subject: secs[i].symbol,
            message: "\(secs[i].symbol) is bought today in another account of the household: its lots at a loss are kept (selling them would be a wash sale)"))
        return allowed
    }

    /// The estimated net gain of all sells (Double, before costs).
    func estimatedNetGain() -> Double {
        var total = 0.0
        for i in secs.indices where secs[i].sellQuantity > 0 { for sl in slices[i] { total += sl.gainEstimate } }
        return total
    }

    /// Sells less to bring the net realized gain down by `excess` (currency). Returns false
    /// when nothing more can be cut.
    mutating func cutSells(excess: Double) -> Bool {
        var best = -1
        var bestRatio = -Double.infinity
        for i in secs.indices where secs[i].sellQuantity > 0 {
            guard let tail = slices[i].last, tail.gainEstimate > 0 else { continue }
            let ratio = tail.gainEstimate / (Fixed.double(tail.quantity) * secs[i].priceD)
            if ratio > bestRatio { bestRatio = ratio; best = i }
        }
        if best < 0 {
            // No tail slice has a gain: drop the tail of the security with the largest net gain.
            var bestGain = 0.0
            for i in secs.indices where secs[i].sellQuantity > 0 {
                let g = slices[i].reduce(0) { $0 + $1.gainEstimate }
                if g > bestGain { bestGain = g; best = i }
            }
            guard best >= 0, let tail = slices[best].last else { return false }
            return setSell(best, quantity: secs[best].sellQuantity - tail.quantity)
        }
        let tail = slices[best].last!
        let perUnit = tail.gainEstimate / Double(tail.quantity)
        let needed = Fixed.units(min(Double(tail.quantity), (excess / perUnit).rounded(.up)), unit: 1)
        return setSell(best, quantity: secs[best].sellQuantity - max(1, needed))
    }

    /// Sets a reduced sell quantity (rounded down to whole units), recomputing its lots.
    mutating func setSell(_ i: Int, quantity: Int64) -> Bool {
        let old = secs[i].sellQuantity
        var q = max(0, quantity)
        q = q / secs[i].unit * secs[i].unit
        if q >= old { q = max(0, (old - 1) / secs[i].unit * secs[i].unit) }
        if q > 0 && uneconomic(i, q) != nil { q = 0 }
        budgetCut[i, default: 0] += old - q
        secs[i].sellQuantity = q
        slices[i] = q > 0 ? consume(i, quantity: q, order: lotOrders[i]) : []
        return true
    }

    /// Exact money of the sells: gross and cost per trade, and each lot's basis, proceeds and
    /// gain, all in cents.
    func settleSells() -> SellSettlement {
        let n = secs.count
        var st = SellSettlement(
            gross: .init(repeating: 0, count: n), cost: .init(repeating: 0, count: n),
            fills: .init(repeating: [], count: n), cash: cash + facts.cashFlow,
            buyGross: .init(repeating: 0, count: n), buyCost: .init(repeating: 0, count: n))
        for i in 0..<n where secs[i].sellQuantity > 0 {
            let sec = secs[i]
            let q = sec.sellQuantity
            let gross = Fixed.valueInCents(q, sec.price)
            let cost = s.commission + Fixed.timesRateCents(gross, s.spreadRate)
            st.gross[i] = gross
            st.cost[i] = cost
            st.cash += gross - cost
            var proceedsLeft = gross
            var costLeft = cost
            var fills: [SellSettlement.LotFill] = []
            fills.reserveCapacity(slices[i].count)
            for (k, sl) in slices[i].enumerated() {
                let lot = sec.lots[sl.lot]
                let last = k == slices[i].count - 1
                let proceeds = last ? proceedsLeft : Fixed.valueInCents(sl.quantity, sec.price)
                let costShare = last ? costLeft : Fixed.proRataCents(cost, sl.quantity, q)
                proceedsLeft -= proceeds
                costLeft -= costShare
                let basis = sl.quantity == lot.quantity
                    ? Fixed.roundCents(lot.basis) : Fixed.proRataCents(lot.basis, sl.quantity, lot.quantity)
                let gain = proceeds - costShare - basis
                fills.append(.init(lot: sl.lot, quantity: sl.quantity, basis: basis, proceeds: proceeds - costShare,
                                   gain: gain, isLongTerm: lot.isLongTerm))
                if account.kind.isTaxable {
                    if lot.isLongTerm { st.longTerm += gain } else { st.shortTerm += gain }
                }
            }
            st.fills[i] = fills
        }
        return st
    }

    /// Settles the sells, cutting them until the net gain fits the tax budget.
    mutating func settleSells(order: [Int]) throws(RebalanceError) -> SellSettlement {
        if account.kind.isTaxable, let budget = s.taxBudget {
            let budgetD = Fixed.double(budget)
            var guardCount = 0
            while estimatedNetGain() > budgetD + 0.005, guardCount < 10_000 {
                guardCount += 1
                if !cutSells(excess: estimatedNetGain() - budgetD) { break }
            }
            var st = settleSells()
            while st.shortTerm + st.longTerm > budget, guardCount < 20_000 {
                guardCount += 1
                if !cutSells(excess: Fixed.double(st.shortTerm + st.longTerm - budget)) { break }
                st = settleSells()
            }
            for i in order {
                guard let cut = budgetCut[i], cut > 0 else { continue }
                let v = Fixed.valueInCents(cut, secs[i].price)
                skipped.append(SkippedTrade(
                    symbol: secs[i].symbol, side: .sell, quantity: Fixed.decimal(cut),
                    approximateValue: Fixed.decimal(v), reason: .taxBudget))
            }
            if budgetCut.values.contains(where: { $0 > 0 }) {
                warnings.append(PlanWarning(
                    kind: .taxBudgetLimitedSells, subject: "",
                    message: "the cap on net realized gains (\(advisorMoney(Fixed.decimal(budget)))) limited sells; drift is left (see drift after)"))
            }
            return try checked(st)
        }
        return try checked(settleSells())
    }

    private mutating func checked(_ st: SellSettlement) throws(RebalanceError) -> SellSettlement {
        if st.cash < 0 {
            throw .withdrawalExceedsAvailableValue(
                account: account.id, requested: Fixed.decimal(-facts.cashFlow), available: Fixed.decimal(st.cash - facts.cashFlow))
        }
        var warned = Set<Int>()
        for i in secs.indices where secs[i].recentlyBought && account.kind.isTaxable {
            for f in st.fills[i] where f.gain < 0 && !warned.contains(i) {
                warned.insert(i)
                warnings.append(PlanWarning(
                    kind: .washSaleRisk, subject: secs[i].symbol,
                    message: "selling lot \(secs[i].lots[f.lot].id) of \(secs[i].symbol) at a loss within \(s.washWindow) days of a buy: the loss may be disallowed as a wash sale"))
            }
        }
        return st
    }

    // MARK: Buys

    func buyCost(_ i: Int, _ q: Int64) -> (gross: Int64, cost: Int64) {
        if q == 0 { return (0, 0) }
        let gross = Fixed.valueInCents(q, secs[i].price)
        return (gross, s.commission + Fixed.timesRateCents(gross, s.spreadRate))
    }

    /// Sizes the buys: each security's whole-unit deficit, cut to the cash above the reserve,
    /// then the cash left by rounding into the most underweight holding that still fits.
    mutating func sizeBuys(order: [Int], action: EngineAction, settlement st: inout SellSettlement) {
        let available = st.cash - reserve
        if available < 0 {
            warnings.append(PlanWarning(
                kind: .reserveNotMet, subject: "",
                message: "cash after sells (\(advisorMoney(Fixed.decimal(st.cash)))) is below the reserve (\(advisorMoney(Fixed.decimal(reserve)))); nothing bought"))
            return
        }
        var book = proposeBuys(order: order, available: available)
        if book.spent > available { trimToCash(&book, order: order) }
        // Unless the policy keeps the rounding remainder in cash.
        if action != .none && r.policy.investLeftoverCash { investLeftover(&book, order: order, action: action) }
        let bought = Set(book.buys)
        for i in secs.indices where !bought.contains(i) { secs[i].buyQuantity = 0 }
        for i in book.buys where secs[i].buyQuantity > 0 {
            let c = buyCost(i, secs[i].buyQuantity)
            st.buyGross[i] = c.gross
            st.buyCost[i] = c.cost
            if reasons[i] == nil { reasons[i] = reason(for: i, side: .buy, action: action) }
        }
    }

    /// The buys being sized: which securities, which are out for good, and the cash they use.
    struct BuyBook {
        /// Cash above the reserve after the sells, fixed units.
        var available: Int64
        /// Securities bought, in the order they were added.
        var buys: [Int] = []
        /// Securities never to buy in this plan (uneconomic, or no lot fits).
        var excluded = Set<Int>()
        /// Gross plus costs of the buys, fixed units.
        var spent: Int64 = 0
    }

    /// Gross plus costs of every buy in the book.
    func totalCost(of buys: [Int]) -> Int64 {
        buys.reduce(0) { let c = buyCost($1, secs[$1].buyQuantity); return $0 + c.gross + c.cost }
    }

    /// Each security's deficit in whole units; uneconomic buys are skipped and excluded.
    mutating func proposeBuys(order: [Int], available: Int64) -> BuyBook {
        var book = BuyBook(available: available)
        for i in order {
            let sec = secs[i]
            let delta = sec.desired - sec.mv
            guard delta > 0.005, sec.canBuy, sec.sellQuantity == 0 else { continue }
            let units = (delta / sec.priceD / Fixed.double(sec.unit) + 1e-9).rounded(.down)
            guard units >= 1 else { continue }
            let q = Fixed.units(units, unit: sec.unit) * sec.unit
            if let reason = uneconomic(i, q) {
                skipped.append(SkippedTrade(
                    symbol: sec.symbol, side: .buy, quantity: Fixed.decimal(q),
                    approximateValue: Fixed.decimal(Fixed.valueInCents(q, sec.price)), reason: reason))
                book.excluded.insert(i)
                continue
            }
            secs[i].buyQuantity = q
            book.buys.append(i)
        }
        book.spent = totalCost(of: book.buys)
        return book
    }

    /// Scales the buys down to the cash, then trims the largest until they fit; what is cut is
    /// reported as skipped for insufficient cash.
    mutating func trimToCash(_ book: inout BuyBook, order: [Int]) {
        let wanted = Dictionary(uniqueKeysWithValues: book.buys.map { ($0, secs[$0].buyQuantity) })
        let grossSum = book.buys.reduce(0.0) { $0 + Fixed.double(Fixed.valueInCents(secs[$1].buyQuantity, secs[$1].price)) }
        let f = max(0, (Fixed.double(book.available) - Double(book.buys.count) * Fixed.double(s.commission))
                    / (grossSum * (1 + s.spreadDouble)))
        for i in book.buys {
            let u = secs[i].unit
            secs[i].buyQuantity = Fixed.units((Double(secs[i].buyQuantity / u) * f).rounded(.down), unit: u) * u
        }
        var guardCount = 0
        while true {
            book.buys.removeAll { i in secs[i].buyQuantity == 0 || uneconomic(i, secs[i].buyQuantity) != nil }
            book.spent = totalCost(of: book.buys)
            guard book.spent > book.available, !book.buys.isEmpty else { break }
            guardCount += 1
            if guardCount > 10_000 {
                // Never leave cash negative: when trimming cannot converge, buy nothing.
                for i in book.buys { secs[i].buyQuantity = 0 }
                book.buys.removeAll()
                book.spent = 0
                break
            }
            trimLargest(book)
        }
        let kept = Set(book.buys)
        for i in order {
            guard let w = wanted[i], secs[i].buyQuantity < w || !kept.contains(i) else { continue }
            if !kept.contains(i) { secs[i].buyQuantity = 0 }
            let missing = w - secs[i].buyQuantity
            guard missing > 0 else { continue }
            skipped.append(SkippedTrade(
                symbol: secs[i].symbol, side: .buy, quantity: Fixed.decimal(missing),
                approximateValue: Fixed.decimal(Fixed.valueInCents(missing, secs[i].price)), reason: .insufficientCash))
        }
    }

    /// Trims the largest buy by the lots that cover the excess at its unit value (at least one
    /// lot): one unit at a time would take millions of steps at sub-cent prices.
    mutating func trimLargest(_ book: BuyBook) {
        let largest = book.buys.max { buyCost($0, secs[$0].buyQuantity).gross < buyCost($1, secs[$1].buyQuantity).gross }!
        let unit = secs[largest].unit
        let lotValue = max(secs[largest].unitValue * (1 + s.spreadDouble), 1e-12)
        let excessLots = (Fixed.double(book.spent - book.available) / lotValue).rounded(.up)
        let lots = max(1, min(Fixed.units(excessLots, unit: unit), secs[largest].buyQuantity / unit))
        secs[largest].buyQuantity -= lots * unit
    }

    /// Cash left by rounding goes to the most underweight holding that still fits, lot by lot.
    mutating func investLeftover(_ book: inout BuyBook, order: [Int], action: EngineAction) {
        for _ in 0..<(4 * secs.count + 4) {
            var best = -1
            var bestDeficit = 0.0
            for i in order where !book.excluded.contains(i) {
                let sec = secs[i]
                guard sec.canBuy, sec.sellQuantity == 0 else { continue }
                let goal = action == .toTarget ? sec.desired : sec.fullTarget
                let deficit = goal - sec.mv - Fixed.double(sec.buyQuantity) * sec.priceD
                if deficit >= 0.5 * sec.unitValue && deficit > bestDeficit { best = i; bestDeficit = deficit }
            }
            guard best >= 0 else { break }
            guard let (k, extra) = affordableLots(best, deficit: bestDeficit, remaining: book.available - book.spent) else {
                book.excluded.insert(best)
                continue
            }
            let old = secs[best].buyQuantity
            secs[best].buyQuantity = old + k * secs[best].unit
            book.spent += extra
            if old == 0 { book.buys.append(best) }
        }
    }

    /// The most lots of `i` (up to its deficit) whose extra cost fits `remaining`, with that
    /// cost; nil when none fits or a new buy would be uneconomic.
    func affordableLots(_ i: Int, deficit: Double, remaining: Int64) -> (lots: Int64, extra: Int64)? {
        let sec = secs[i]
        let old = sec.buyQuantity
        let oldCost = buyCost(i, old)
        var k = max(1, Fixed.units((deficit / sec.unitValue).rounded(.down), unit: sec.unit))
        if old == 0 {
            let minimum = max(s.minimumTrade, Fixed.centUnits)
            let needed = Fixed.units((Fixed.double(minimum) / sec.unitValue).rounded(.up), unit: sec.unit)
            if needed > k {
                if Double(needed) * sec.unitValue > deficit + sec.unitValue { return nil }
                k = needed
            }
        }
        // Cost grows with k, so no k beyond what the cash could pay at the unit value fits: cap
        // k there (which also keeps quantity × price far from overflow), then bisect.
        let affordable = Fixed.double(remaining) / max(sec.unitValue, 1e-12)
        k = min(k, max(Fixed.units(affordable.rounded(.down) + 1, unit: sec.unit), 0), (Fixed.limit - old) / sec.unit)
        func extraCost(_ lots: Int64) -> Int64 {
            let c = buyCost(i, old + lots * sec.unit)
            return c.gross + c.cost - oldCost.gross - oldCost.cost
        }
        guard k > 0 else { return nil }
        var extra = extraCost(k)
        if extra > remaining {
            var fits: Int64 = 0, fitsExtra: Int64 = 0, fails = k
            while fails - fits > 1 {
                let mid = fits + (fails - fits) / 2
                let e = extraCost(mid)
                if e <= remaining { fits = mid; fitsExtra = e } else { fails = mid }
            }
            k = fits
            extra = fitsExtra
        }
        if k <= 0 || (old == 0 && uneconomic(i, k * sec.unit) != nil) { return nil }
        return (k, extra)
    }

    func reason(for i: Int, side: TradeSide, action: EngineAction) -> TradeReason {
        let sec = secs[i]
        guard sec.line >= 0 else {
            return TradeReason(kind: .notInTarget, line: sec.symbol, driftPoints: investable > 0 ? sec.mv / investable * 100 : 0,
                               bandPoints: nil, relatedSymbol: nil)
        }
        let line = lines[sec.line]
        let drift = investable > 0 ? (line.current / investable - line.weight) * 100 : 0
        let usesBands: Bool = {
            if r.policy.mode == .toNearestBandEdge { return true }
            switch r.policy.trigger {
            case .bands, .calendarOrBands, .calendarAndBands: return true
            default: return false
            }
        }()
        let band = usesBands ? line.band * 100 : nil
        if action == .cashFlow {
            return TradeReason(kind: side == .sell ? .raiseCash : .investCash, line: line.name, driftPoints: drift,
                               bandPoints: nil, relatedSymbol: nil)
        }
        return TradeReason(kind: side == .sell ? .overweight : .underweight, line: line.name, driftPoints: drift,
                           bandPoints: band, relatedSymbol: nil)
    }
}
