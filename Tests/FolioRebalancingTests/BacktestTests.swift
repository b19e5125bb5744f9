import Foundation
import Testing
@testable import FolioRebalancing

/// The policy backtester and its tax year, each case worked out by hand in the test.
@Suite("Policy backtests")
struct BacktestTests {
    static let rules = TaxRules(shortTermRate: dec("0.37"), longTermRate: dec("0.20"), dividendRate: dec("0.15"))

    // MARK: Tax year

    @Test("netting: a long-term loss offsets a short-term gain; dividends are taxed apart")
    func nettingAcrossTerms() {
        // ST +10,000, LT −4,000 -> ST 6,000 at 37% = 2,220; dividends 1,000 at 15% = 150.
        let y = TaxYear.settle(year: 2025, shortTermGain: 10_000, longTermGain: -4_000, dividends: 1_000, carriedIn: .none, rules: Self.rules)
        #expect(y.taxedShortTerm == 6_000 && y.taxedLongTerm == 0 && y.lossDeducted == 0)
        #expect(y.tax == 2_370)
        #expect(y.carriedOut == .none)
    }

    @Test("carry-forward: a net loss deducts 3,000 (short-term first), the rest carries with its term and offsets next year")
    func carryForwardAcrossYears() {
        // 2025: ST −8,000, LT +2,000 -> net ST −6,000; 3,000 deducted (saves 1,110); ST 3,000 carried.
        let y1 = TaxYear.settle(year: 2025, shortTermGain: -8_000, longTermGain: 2_000, dividends: 0, carriedIn: .none, rules: Self.rules)
        #expect(y1.lossDeducted == 3_000)
        #expect(y1.tax == dec("-1110"))
        #expect(y1.carriedOut == LossCarryForward(shortTerm: 3_000, longTerm: 0))
        // 2026: ST +1,000, LT +5,000 with 3,000 ST carried: ST −2,000 offsets LT -> LT 3,000 at 20% = 600.
        let y2 = TaxYear.settle(year: 2026, shortTermGain: 1_000, longTermGain: 5_000, dividends: 0, carriedIn: y1.carriedOut, rules: Self.rules)
        #expect(y2.taxedShortTerm == 0 && y2.taxedLongTerm == 3_000)
        #expect(y2.tax == 600)
        #expect(y2.carriedOut == .none)
        // Both terms lose: ST −1,000, LT −5,000: 1,000 ST then 2,000 LT deducted; LT 3,000 carried.
        let y3 = TaxYear.settle(year: 2027, shortTermGain: -1_000, longTermGain: -5_000, dividends: 0, carriedIn: .none, rules: Self.rules)
        #expect(y3.carriedOut == LossCarryForward(shortTerm: 0, longTerm: 3_000))
        #expect(y3.tax == dec("-1110"))
        // No deduction allowed: everything carries.
        var strict = Self.rules
        strict.lossDeductionLimit = 0
        let y4 = TaxYear.settle(year: 2027, shortTermGain: -1_000, longTermGain: -5_000, dividends: 0, carriedIn: .none, rules: strict)
        #expect(y4.tax == 0 && y4.carriedOut == LossCarryForward(shortTerm: 1_000, longTerm: 5_000))
        // A carried long-term loss larger than this year's long-term gain then offsets short-term gains.
        let y5 = TaxYear.settle(year: 2028, shortTermGain: 2_000, longTermGain: 500, dividends: 0,
                                carriedIn: LossCarryForward(shortTerm: 0, longTerm: 1_500), rules: Self.rules)
        #expect(y5.taxedShortTerm == 1_000 && y5.taxedLongTerm == 0 && y5.tax == 370)
    }

    // MARK: Helpers

    static let securities = [Security(symbol: "AAA", assetClass: "Stocks"), Security(symbol: "BBB", assetClass: "Bonds")]

    static func history(_ rows: [(Date, Double, Double)], totalReturnA: [Double]? = nil) throws -> BacktestPrices {
        try BacktestPrices(dates: rows.map(\.0), symbols: ["AAA", "BBB"], closes: [rows.map(\.1), rows.map(\.2)],
                           totalReturns: totalReturnA.map { ["AAA": $0] } ?? [:])
    }

    // MARK: Dividends

    @Test("dividends from a total-return series: credited to cash, taxed at the dividend rate at the year end")
    func dividendsFromTotalReturn() throws {
        // AAA stays at 100; its total-return index rises 2% on Dec 31: a $2 dividend per share.
        let prices = try Self.history([(day(2025, 12, 30), 100, 50), (day(2025, 12, 31), 100, 50), (day(2026, 1, 2), 100, 50)],
                                      totalReturnA: [100, 102, 102])
        let household = Household(id: "H", accounts: [Account(id: "T", kind: .taxable, cash: 0, positions: [position("AAA", 100, basis: 8_000)])])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 1]),
                                          settings: BacktestSettings(dividendTaxRate: dec("0.15"), cashSweep: nil))
        let r = try backtester.simulate(household, prices: prices, policy: BacktestPolicy.builtIn("never")!)
        // 100 shares x $2 = $200 in 2025; tax 15% = $30 paid from the account's cash on Jan 2.
        #expect(r.dividends == 200)
        #expect(r.taxYears.map(\.year) == [2025])
        #expect(r.taxYears[0].dividends == 200 && r.taxYears[0].tax == 30)
        #expect(r.endingHousehold.accounts[0].cash == 170)
        #expect(r.endingValue == 10_170)
        #expect(r.endingValueAfterTax == 10_170)
        // Liquidation: 100 x 100 − 8,000 = 2,000 long-term gain at 20% = 400.
        #expect(r.liquidationTax == 400)
        #expect(r.endingValueAfterLiquidation == 9_770)
        #expect(r.trades == 0 && r.plans == 0)
    }

    @Test("dividends from a yield: a quarter's yield on the previous close, on the first date of each quarter; none in an IRA's tax")
    func dividendsFromYield() throws {
        let prices = try Self.history([(day(2025, 12, 30), 100, 50), (day(2025, 12, 31), 110, 50), (day(2026, 1, 2), 90, 50)])
        let household = Household(id: "H", accounts: [
            Account(id: "T", kind: .taxable, cash: 0, positions: [position("AAA", 100, basis: 8_000)]),
            Account(id: "I", kind: .taxDeferred, cash: 0, positions: [position("AAA", 50, basis: 1_000, id: "I-1")]),
        ])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 1]),
                                          settings: BacktestSettings(dividendYields: ["AAA": 0.04], cashSweep: nil))
        let r = try backtester.simulate(household, prices: prices, policy: BacktestPolicy.builtIn("never")!)
        // Jan 2 opens a quarter: 110 x 4% / 4 = $1.10 per share: $110 in T, $55 in I, taxed in 2026 (not settled).
        #expect(r.dividends == 165)
        #expect(r.taxYears.count == 1 && r.taxYears[0].dividends == 0)
        #expect(r.finalYear.dividends == 110)
        #expect(r.finalYear.tax == 22) // the policy's long-term rate, 20%
        #expect(r.endingHousehold.accounts.map(\.cash) == [110, 55])
    }

    // MARK: Wash sales across a year end

    @Test("a loss sold on Dec 15 blocks buying it back on Jan 5 (21 days, across the year end); the buy waits for Jan 20")
    func washSaleWindowAcrossYearEnd() throws {
        // T holds only AAA, bought at $150 in June 2025. Dec 15 (the first date, a rebalance to
        // 50/50): 100 AAA sold at 100, a 5,000 short-term loss in 2025, and 200 BBB bought.
        // Jan 5: AAA at 80 is underweight but was sold at a loss 21 days ago: not bought.
        // Jan 20: 36 days on, it is bought.
        let prices = try Self.history([(day(2025, 12, 15), 100, 50), (day(2026, 1, 5), 80, 50), (day(2026, 1, 20), 80, 50)])
        let household = Household(id: "H", accounts: [
            Account(id: "T", kind: .taxable, cash: 0, positions: [position("AAA", 200, basis: 30_000, acquired: day(2025, 6, 2))]),
        ])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.5, "BBB": 0.5]),
                                          settings: BacktestSettings(taxPayment: .fromOutside, cashSweep: nil))
        let r = try backtester.simulate(household, prices: prices, policy: BacktestPolicy(name: "daily", rule: .everyDate, policy: RebalancePolicy()))
        #expect(r.taxYears.map(\.year) == [2025])
        #expect(r.taxYears[0].shortTermGain == -5_000)
        // 2025: 3,000 deducted (saves 1,110), 2,000 short-term carried into 2026.
        #expect(r.taxYears[0].tax == dec("-1110"))
        #expect(r.taxYears[0].carriedOut == LossCarryForward(shortTerm: 2_000, longTerm: 0))
        #expect(r.finalYear.carriedIn == LossCarryForward(shortTerm: 2_000, longTerm: 0))
        let aaa = r.endingHousehold.accounts[0].positions.first { $0.symbol == "AAA" }!
        let bought = aaa.lots.filter { $0.acquired != day(2025, 6, 2) }
        #expect(!bought.isEmpty)
        #expect(bought.allSatisfy { $0.acquired == day(2026, 1, 20) })
        #expect(r.washSaleLossDisallowed == 0)
    }

    @Test("across the year end the other way: an IRA buys on Dec 15, the taxable loss sold on Jan 5 is disallowed for good")
    func washSaleIntoIRAAcrossYearEnd() throws {
        let prices = try Self.history([(day(2025, 12, 15), 100, 50), (day(2026, 1, 5), 100, 50), (day(2026, 1, 20), 100, 50)])
        let household = Household(id: "H", accounts: [
            Account(id: "T", kind: .taxable, cash: 0, positions: [position("AAA", 200, basis: 30_000, acquired: day(2025, 6, 2))]),
            Account(id: "I", kind: .taxDeferred, cash: 0, positions: [position("BBB", 400, basis: 20_000, id: "I-1")]),
        ])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.5, "BBB": 0.5]),
                                          settings: BacktestSettings(taxPayment: .fromOutside, cashSweep: nil))
        let r = try backtester.simulate(household, prices: prices, policy: BacktestPolicy(name: "daily", rule: .everyDate, policy: RebalancePolicy()))
        // Dec 15: the planner keeps T's loss lots because the IRA buys AAA the same day.
        let ira = r.endingHousehold.accounts[1]
        let iraAAA = try #require(ira.positions.first { $0.symbol == "AAA" })
        #expect(iraAAA.lots.map(\.acquired) == [day(2025, 12, 15)])
        #expect(r.taxYears[0].shortTermGain == 0)
        // Jan 5: T sells 100 AAA at a 5,000 loss 21 days after the IRA's buy: disallowed, and the
        // IRA lot's basis does not absorb it (the loss is lost).
        #expect(r.endingHousehold.accounts[0].positions.first { $0.symbol == "AAA" }!.quantity == 100)
        #expect(r.washSaleLossDisallowed == 5_000)
        #expect(r.finalYear.shortTermGain == 0 && r.realizedShortTermGain == 0)
        #expect(iraAAA.lots[0].costBasis == 10_000)
    }

    @Test("a loss sold within 30 days after a purchase is disallowed and added to the replacement lot's basis")
    func washSaleLookBack() throws {
        // T holds 50 AAA bought in June at $300 and $15,000 cash. Dec 1 (the first date, a
        // rebalance): 50/50 buys 50 AAA at 100 and 200 BBB. Dec 10: AAA at 120 is overweight; tax-minimizing lots sell the
        // June lot first, at a loss of $180 a share, 9 days after the Dec 1 buy.
        let prices = try Self.history([(day(2025, 12, 1), 100, 50), (day(2025, 12, 10), 120, 50)])
        let household = Household(id: "H", accounts: [
            Account(id: "T", kind: .taxable, cash: 15_000, positions: [position("AAA", 50, basis: 15_000, acquired: day(2025, 6, 2), id: "old")]),
        ])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.5, "BBB": 0.5]),
                                          settings: BacktestSettings(taxPayment: .fromOutside, cashSweep: nil))
        let r = try backtester.simulate(household, prices: prices, policy: BacktestPolicy(name: "daily", rule: .everyDate, policy: RebalancePolicy()))
        let lots = r.endingHousehold.accounts[0].positions.first { $0.symbol == "AAA" }!.lots
        let old = try #require(lots.first { $0.id == "old" })
        let sold = 50 - old.quantity
        #expect(sold > 0)
        // The whole loss is disallowed (the 50 shares bought Dec 1 replace it) and moves to their basis.
        #expect(r.washSaleLossDisallowed == sold * 180)
        #expect(r.realizedShortTermGain == 0 && r.realizedLongTermGain == 0)
        let replacement = try #require(lots.first { $0.acquired == day(2025, 12, 1) })
        #expect(replacement.quantity == 50 && replacement.costBasis == 5_000 + sold * 180)
    }

    // MARK: The spreadsheet case

    /// Two assets, one taxable account, 50/50, annual rebalancing, LIFO lots, taxes paid from
    /// outside, no costs or dividends; one price per year. Worked out line by line:
    ///
    /// | date       | A   | B  | holdings before        | value   | trades (LIFO)                                   | realized          |
    /// |------------|-----|----|------------------------|---------|-------------------------------------------------|-------------------|
    /// | 2024-01-02 | 100 | 50 | A 1,000  B 2,000       | 200,000 | none (start)                                    |                   |
    /// | 2025-01-02 | 125 | 50 | A 1,000  B 2,000       | 225,000 | sell 100 A (basis 10,000) buy 250 B             | LT +2,500         |
    /// | 2026-01-02 |  60 | 40 | A 900    B 2,250       | 144,000 | sell 250 B of 2025 (12,500) + 200 B of 2023 (10,000), buy 300 A | ST −2,500 (sold on the anniversary: short), LT −2,000 |
    /// | 2027-01-04 |  80 | 40 | A 1,200  B 1,800       | 168,000 | sell 150 A of 2026 (basis 9,000) buy 300 B      | LT +3,000         |
    ///
    /// Taxes: 2024 none. 2025: LT 2,500 x 20% = 500. 2026: net −4,500, 3,000 deducted at 37%
    /// = −1,110, LT 1,500 carried. 2027 (owed, not settled): LT 3,000 − 1,500 = 1,500 x 20% = 300.
    /// Liquidation on 2027-01-04: A 900 of 2023 at 80 (−18,000 LT), A 150 of 2026 (+3,000 LT),
    /// B 1,800 of 2023 at 40 (−18,000 LT), B 300 of 2027 (0): 2027 becomes LT 3,000 − 33,000 −
    /// 1,500 carried = −31,500: 3,000 deducted = −1,110. Liquidation tax −1,110 − 300 = −1,410.
    /// Wealth: 1,050 x 80 + 2,100 x 40 = 168,000 before tax; after tax 168,000 − 300 − (500 −
    /// 1,110) = 168,310; after liquidation 168,310 + 1,410 = 169,720.
    @Test("two assets over three years: taxes and wealth as worked out by hand")
    func spreadsheetCase() throws {
        let start = day(2023, 1, 3)
        let household = Household(id: "H", accounts: [Account(id: "T", kind: .taxable, cash: 0, positions: [
            Position(symbol: "AAA", lots: [Lot(id: "A-2023", quantity: 1_000, costBasis: 100_000, acquired: start)]),
            Position(symbol: "BBB", lots: [Lot(id: "B-2023", quantity: 2_000, costBasis: 100_000, acquired: start)]),
        ])])
        let prices = try Self.history([(day(2024, 1, 2), 100, 50), (day(2025, 1, 2), 125, 50), (day(2026, 1, 2), 60, 40), (day(2027, 1, 4), 80, 40)])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.5, "BBB": 0.5]),
                                          settings: BacktestSettings(taxPayment: .fromOutside, cashSweep: nil))
        let r = try backtester.simulate(household, prices: prices,
                                        policy: BacktestPolicy.builtIn("annual", standing: RebalancePolicy(lotMethod: .lifo))!)
        #expect(r.rebalances == 3 && r.trades == 6 && r.costs == 0)
        #expect(r.taxYears.map(\.year) == [2024, 2025, 2026])
        #expect(r.taxYears.map(\.tax) == [0, 500, dec("-1110")])
        #expect(r.taxYears[1].longTermGain == 2_500)
        #expect(r.taxYears[2].shortTermGain == -2_500 && r.taxYears[2].longTermGain == -2_000)
        #expect(r.taxYears[2].carriedOut == LossCarryForward(shortTerm: 0, longTerm: 1_500))
        #expect(r.finalYear.year == 2027 && r.finalYear.longTermGain == 3_000 && r.finalYear.tax == 300)
        #expect(r.realizedShortTermGain == -2_500 && r.realizedLongTermGain == 3_500)
        #expect(r.taxesPaidFromOutside == -610)
        #expect(r.startingValue == 200_000)
        #expect(r.endingValue == 168_000)
        #expect(r.endingValueAfterTax == 168_310)
        #expect(r.liquidationTax == dec("-1410"))
        #expect(r.endingValueAfterLiquidation == 169_720)
        // Holdings on the last date.
        let t = r.endingHousehold.accounts[0]
        #expect(t.positions.first { $0.symbol == "AAA" }!.quantity == 1_050)
        #expect(t.positions.first { $0.symbol == "BBB" }!.quantity == 2_100)
        // Drift: the widest was 2026-01-02, A at 54,000 / 144,000 = 37.5% against 50%.
        #expect(abs(r.maxDrift - 0.125) < 1e-12)
        // Turnover: (12,500 / 225,000 + 18,000 / 144,000 + 12,000 / 168,000) per year.
        let years = Double(CivilDay.of(day(2027, 1, 4)) - CivilDay.of(day(2024, 1, 2))) / 365.25
        #expect(abs(r.turnover - (12_500.0 / 225_000 + 18_000.0 / 144_000 + 12_000.0 / 168_000) / years) < 1e-12)
        // Returns: 168,000 / 200,000 before tax; after tax, each tax a cost on its day and the
        // owed and liquidation taxes at the end.
        #expect(abs(r.returnBeforeTax - (pow(0.84, 1 / years) - 1)) < 1e-12)
        let after = 0.84 * (144_000.0 - 500) / 144_000 * (168_000.0 + 1_110) / 168_000 * (168_000.0 + 1_110) / 168_000
        #expect(abs(r.returnAfterTax - (pow(after, 1 / years) - 1)) < 1e-12)
    }

    // MARK: Comparison

    @Test("policies side by side: never trades nothing, tax alpha is zero for the baseline and measured against it")
    func comparison() throws {
        var rng = SplitMix64(seed: 7)
        var a = 100.0, b = 50.0
        var rows: [(Date, Double, Double)] = []
        for d in 0..<600 {
            a *= exp(rng.double(-0.02...0.021))
            b *= exp(rng.double(-0.005...0.0052))
            rows.append((Date(timeIntervalSince1970: Double(CivilDay.from(year: 2020, month: 1, day: 2) + d) * 86_400),
                         (a * 100).rounded() / 100, (b * 100).rounded() / 100))
        }
        let prices = try Self.history(rows)
        let household = Household(id: "H", accounts: [
            Account(id: "T", kind: .taxable, cash: 5_000, positions: [position("AAA", 300, basis: 25_000, acquired: day(2019, 1, 2))]),
            Account(id: "I", kind: .taxDeferred, cash: 0, positions: [position("BBB", 400, basis: 20_000, acquired: day(2019, 1, 2), id: "I-1")]),
        ])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.6, "BBB": 0.4]),
                                          settings: BacktestSettings(cashFlows: [ScheduledCashFlow(accountID: "T", amount: 1_000, frequency: .quarterly)],
                                                                     baseline: "never"))
        let names = ["quarterly", "bands-5-25", "cash-flow-only", "never"]
        let c = try backtester.compare(household, prices: prices, policies: names.map { BacktestPolicy.builtIn($0)! })
        #expect(c.baseline == "never")
        #expect(c.results.map(\.policy) == names)
        let never = c.results[3]
        #expect(never.taxAlpha == 0)
        #expect(never.trades == 0 && never.realizedShortTermGain == 0 && never.realizedLongTermGain == 0)
        for r in c.results {
            // Every policy sees the same deposits; wealth identity of the path.
            #expect(r.deposits == never.deposits && r.deposits > 0)
            #expect(r.endingValueAfterTax == r.endingValue - r.finalYear.tax - r.taxesPaidFromOutside)
            #expect(r.endingValueAfterLiquidation == r.endingValueAfterTax - r.liquidationTax)
            #expect(r.taxAlpha != nil)
            // Ending holdings value equals the reported ending value.
            let v = r.endingHousehold.accounts.reduce(Decimal(0)) { total, account in
                account.positions.reduce(total + account.cash) { t, p in
                    t + p.lots.reduce(0) { $0 + Money.roundCents($1.quantity * Decimal(string: String(rows.last!.1 * (p.symbol == "AAA" ? 1 : 0) + rows.last!.2 * (p.symbol == "BBB" ? 1 : 0)))!) }
                }
            }
            #expect(v == r.endingValue, "\(r.policy)")
        }
        let quarterly = c.results[0], bands = c.results[1]
        #expect(quarterly.rebalances > 0 && quarterly.trades > 0)
        #expect(quarterly.maxDrift <= never.maxDrift)
        #expect(bands.maxDrift < 0.05 + 0.03)
        #expect(quarterly.trackingError <= never.trackingError)
    }

    @Test("trading costs: a $10 commission per trade leaves the household $10 a trade poorer on a flat path")
    func tradingCosts() throws {
        let prices = try Self.history([(day(2025, 3, 3), 100, 50), (day(2025, 3, 4), 100, 50), (day(2025, 3, 5), 100, 50)])
        let household = Household(id: "H", accounts: [Account(id: "I", kind: .taxDeferred, cash: 0, positions: [position("AAA", 200, basis: 20_000)])])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.5, "BBB": 0.5]),
                                          settings: BacktestSettings(cashSweep: nil))
        let policy = BacktestPolicy.builtIn("bands-5", standing: RebalancePolicy(commissionPerTrade: 10))!
        let r = try backtester.simulate(household, prices: prices, policy: policy)
        // The first date is out of its band: sell ~100 AAA, buy ~200 BBB less the commissions; then in band.
        #expect(r.rebalances == 1 && r.trades == 2)
        #expect(r.costs == 20)
        #expect(r.startingValue == 20_000 && r.endingValue == 19_980)
        #expect(r.totalTax == 0 && r.endingValueAfterLiquidation == 19_980)
    }

    @Test("a computed close with more than 8 decimals is priced at 8 decimals, not refused by the engine")
    func computedCloses() throws {
        let close = 100.1 + 0.2  // 100.30000000000001
        let prices = try Self.history([(day(2025, 1, 2), 100, 50), (day(2025, 1, 3), close, 0.1 + 0.2)])
        #expect(prices.prices(on: 1)["AAA"] == dec("100.3") && prices.prices(on: 1)["BBB"] == dec("0.3"))
        let household = Household(id: "H", accounts: [Account(id: "T", kind: .taxDeferred, cash: 1_000, positions: [])])
        let r = try PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 0.5, "BBB": 0.5]))
            .simulate(household, prices: prices, policy: BacktestPolicy(name: "daily", rule: .everyDate, policy: RebalancePolicy()))
        #expect(r.trades > 0)
    }

    @Test("bad inputs are refused with the symbol and date")
    func hostileInputs() throws {
        #expect(throws: BacktestError.invalidPrice(symbol: "BBB", date: day(2025, 1, 3), value: .infinity)) {
            try Self.history([(day(2025, 1, 2), 100, 50), (day(2025, 1, 3), 100, .infinity)])
        }
        #expect(throws: BacktestError.self) { try Self.history([(day(2025, 1, 2), 100, 50), (day(2025, 1, 3), -1, 50)]) }
        #expect(throws: BacktestError.datesNotIncreasing(index: 1)) { try Self.history([(day(2025, 1, 3), 100, 50), (day(2025, 1, 2), 100, 50)]) }
        let prices = try Self.history([(day(2025, 1, 2), 100, 50), (day(2025, 1, 3), 100, 50)])
        let household = Household(id: "H", accounts: [Account(id: "T", kind: .taxable, cash: 0, positions: [position("ZZZ", 1, basis: 1)])])
        let backtester = PolicyBacktester(securities: Self.securities, target: .securities(["AAA": 1]))
        #expect(throws: BacktestError.unknownSymbol("ZZZ")) { try backtester.simulate(household, prices: prices, policy: BacktestPolicy.builtIn("never")!) }
        let ok = Household(id: "H", accounts: [Account(id: "T", kind: .taxable, cash: 0, positions: [position("AAA", 1, basis: 1)])])
        #expect(throws: BacktestError.policyName("never")) {
            try backtester.compare(ok, prices: prices, policies: [BacktestPolicy.builtIn("never")!, BacktestPolicy.builtIn("never")!])
        }
        let unknownRates = BacktestPolicy(name: "x", rule: .never, policy: RebalancePolicy(shortTermTaxRate: nil))
        #expect(throws: BacktestError.taxRatesUnknown(policy: "x")) { try backtester.simulate(ok, prices: prices, policy: unknownRates) }
        var flows = backtester
        flows.settings.cashFlows = [ScheduledCashFlow(accountID: "../etc", amount: 1, frequency: .monthly)]
        #expect(throws: BacktestError.unknownAccount("../etc")) { try flows.simulate(ok, prices: prices, policy: BacktestPolicy.builtIn("never")!) }
    }
}
