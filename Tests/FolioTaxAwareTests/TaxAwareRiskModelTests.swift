import Foundation
import Testing
import FolioLinearAlgebra
import FolioRebalancing
import FolioRisk
@testable import FolioTaxAware

/// The class covariance estimated from a prices history (policy `risk_model: sample`,
/// `ledoit-wolf`, `ewma`).
@Suite("Tax-aware risk model from a prices history")
struct TaxAwareRiskModelTests {
    /// A seeded history of every test security: `days` daily closes ending `after` days past
    /// the trade date (prices after it must be ignored).
    static func history(days: Int, after: Int = 0, dropping: Set<String> = [], seed: UInt64 = 5) -> PriceHistory {
        var rng = Seeded(seed: seed)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let symbols = TaxAwareHouseholds.securities.map(\.symbol).filter { !dropping.contains($0) }
        let end = calendar.date(byAdding: .day, value: after, to: calendar.startOfDay(for: TaxAwareHouseholds.tradeDate))!
        let dates = (0..<days).map { d -> MarketDate in
            let c = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: d - days + 1, to: end)!)
            return MarketDate(year: c.year!, month: c.month!, day: c.day!)!
        }
        var values = [Double](repeating: 0, count: days * symbols.count)
        for j in symbols.indices {
            var p = 100.0
            for d in 0..<days {
                let shock = rng.double(-0.02...0.02) + (d >= days - after ? 0.5 : 0)   // a wild tail after the trade date
                p *= 1 + shock
                values[d + j * days] = p
            }
        }
        return try! PriceHistory(dates: dates, assets: symbols, prices: Matrix(rows: days, columns: symbols.count, columnMajor: values))
    }

    static func case0() -> TaxAwareHouseholds.Case {
        var rng = Seeded(seed: 2026)
        return TaxAwareHouseholds.make(&rng, 0)
    }

    @Test("sample: the class covariance is the unbiased annualized covariance of the value-weighted class returns (recomputed here)")
    func sampleMatchesHandComputation() throws {
        let c = Self.case0()
        let history = Self.history(days: 120, after: 5)
        let model = try TaxAwareSettings.RiskModel.estimated(
            from: history, estimator: .sample, household: c.household, target: c.target,
            securities: TaxAwareHouseholds.securities, prices: c.prices)
        guard case .classCovariance(let classes, let covariance) = model else { Issue.record("not a class covariance"); return }
        // The problem's classes, in its order.
        let built = try TaxAwareHouseholds.problem(c)
        #expect(classes == built.problem.classes)
        // By hand: value held per symbol, class returns over the dates up to the trade date.
        var held: [String: Double] = [:]
        for a in c.household.accounts {
            for p in a.positions { held[p.symbol, default: 0] += NSDecimalNumber(decimal: p.quantity * c.prices[p.symbol]!).doubleValue }
        }
        let classOf = Dictionary(uniqueKeysWithValues: TaxAwareHouseholds.securities.map { ($0.symbol, $0.assetClass) })
        let t = history.dates.count - 5   // the last 5 dates are after the trade date
        var series: [[Double]] = []
        for k in classes {
            var members = held.keys.filter { classOf[$0] == k }.sorted()
            var w = members.map { held[$0]! }
            if members.isEmpty {
                members = c.target.sleeves.first { $0.assetClass == k }!.members
                w = members.map { _ in 1 }
            }
            let total = w.reduce(0, +)
            series.append((1..<t).map { d in
                zip(members, w).reduce(0.0) { sum, mw in
                    let j = history.assets.firstIndex(of: mw.0)!
                    return sum + mw.1 / total * (history.prices[d, j] / history.prices[d - 1, j] - 1)
                }
            })
        }
        let m = Double(t - 1)
        for i in classes.indices {
            for j in classes.indices {
                let mi = series[i].reduce(0, +) / m, mj = series[j].reduce(0, +) / m
                var s = 0.0
                for r in 0..<(t - 1) { s += (series[i][r] - mi) * (series[j][r] - mj) }
                let expected = s / (m - 1) * 252
                #expect(abs(covariance[i][j] - expected) <= 1e-12 * Swift.max(1e-6, abs(expected)), "[\(i)][\(j)]")
            }
        }
        // It plugs into the problem, and the optimizer solves it.
        let settings = TaxAwareSettings(riskModel: model)
        let estimated = try TaxAwareHouseholds.problem(c, settings: settings)
        #expect(estimated.problem.covariance == covariance)
        let solution = try TaxAwareOptimizer().optimize(estimated.problem)
        #expect(solution.residuals.maximum <= 1e-8)
    }

    @Test("ledoit-wolf and ewma estimate symmetric positive semidefinite class matrices that differ from the sample's")
    func otherEstimators() throws {
        let c = Self.case0()
        let history = Self.history(days: 200)
        var matrices: [[[Double]]] = []
        for estimator in TaxAwareCovarianceEstimator.allCases {
            let model = try TaxAwareSettings.RiskModel.estimated(
                from: history, estimator: estimator, household: c.household, target: c.target,
                securities: TaxAwareHouseholds.securities, prices: c.prices)
            guard case .classCovariance(_, let cov) = model else { Issue.record("not a class covariance"); return }
            for i in cov.indices {
                #expect(cov[i][i] > 0)
                for j in cov.indices { #expect(cov[i][j] == cov[j][i]) }
            }
            matrices.append(cov)
        }
        #expect(matrices[0] != matrices[1] && matrices[0] != matrices[2])
    }

    @Test("typed errors: a held security without a price history, too few dates, a target by security")
    func typedErrors() throws {
        let c = Self.case0()
        let heldSymbol = c.household.accounts.flatMap(\.positions).map(\.symbol).sorted().first!
        #expect {
            try TaxAwareSettings.RiskModel.estimated(
                from: Self.history(days: 120, dropping: [heldSymbol]), estimator: .ledoitWolf, household: c.household,
                target: c.target, securities: TaxAwareHouseholds.securities, prices: c.prices)
        } throws: { error in
            guard case TaxAwareError.riskModel(let message) = error else { return false }
            return message.contains("security \(heldSymbol)") && message.contains("no price history")
        }
        #expect {
            try TaxAwareSettings.RiskModel.estimated(
                from: Self.history(days: 15), estimator: .sample, household: c.household,
                target: c.target, securities: TaxAwareHouseholds.securities, prices: c.prices)
        } throws: { error in
            guard case TaxAwareError.riskModel(let message) = error else { return false }
            return message.contains("14 returns") && message.contains("at least 20")
        }
        // Dates after the trade date do not count toward the minimum.
        #expect(throws: TaxAwareError.self) {
            try TaxAwareSettings.RiskModel.estimated(
                from: Self.history(days: 30, after: 15), estimator: .sample, household: c.household,
                target: c.target, securities: TaxAwareHouseholds.securities, prices: c.prices)
        }
        #expect(throws: TaxAwareError.self) {
            try TaxAwareSettings.RiskModel.estimated(
                from: Self.history(days: 120), estimator: .sample, household: c.household,
                target: .securities(["LC1": 1]), securities: TaxAwareHouseholds.securities, prices: c.prices)
        }
    }
}
