import Foundation
import Testing
@testable import FolioTaxAware

/// One case of `Fixtures/tax_aware_golden.json` (written by `Scripts/golden/tax_aware.py`).
struct GoldenCase: Decodable {
    var seed: Int
    var problem: TaxAwareProblem
    var optimalObjective: Double
}

struct GoldenFile: Decodable {
    var cases: [GoldenCase]
}

/// The golden cases, decoded once.
func goldenCases() throws -> [GoldenCase] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tax_aware_golden.json")
    return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url)).cases
}

/// Checks every constraint of `problem` at the trades of `solution`, recomputed from the
/// shares (not from the QP's x); returns the violations found.
func constraintViolations(_ problem: TaxAwareProblem, bought: [[Double]], sold: [Double], tolerance: Double = 1e-7) -> [String] {
    var out: [String] = []
    let t = problem.householdValue
    let slack = tolerance * t
    let blockedBuy = Set(problem.blockedBuyKeys), blockedLoss = Set(problem.blockedLossSaleKeys)
    for (a, account) in problem.accounts.enumerated() {
        var spent = 0.0
        for (s, security) in problem.securities.enumerated() {
            let value = bought[a][s] * security.price
            if value < -slack { out.append("negative buy \(account.id) \(security.symbol)") }
            if value > slack && (!security.tradable || account.doNotBuy.contains(s) || blockedBuy.contains(security.washSaleKey)) {
                out.append("restricted buy \(account.id) \(security.symbol)")
            }
            spent += value * (1 + problem.costRate)
        }
        for (i, lot) in problem.lots.enumerated() where lot.account == a {
            spent -= sold[i] * problem.securities[lot.security].price * (1 - problem.costRate)
        }
        if spent > account.cash + account.flow - account.reserve + slack { out.append("cash of \(account.id): spends \(spent)") }
    }
    var gain = 0.0, traded = 0.0
    for (i, lot) in problem.lots.enumerated() {
        let security = problem.securities[lot.security], account = problem.accounts[lot.account]
        if sold[i] < -1e-9 || sold[i] > lot.shares * (1 + 1e-12) { out.append("lot \(lot.id) sells \(sold[i]) of \(lot.shares)") }
        let value = sold[i] * security.price
        traded += value
        if value > slack {
            if !security.tradable || account.doNotSell.contains(lot.security) { out.append("restricted sale of lot \(lot.id)") }
            if account.taxable && lot.basisPerShare > security.price && blockedLoss.contains(security.washSaleKey) {
                out.append("wash-sale blocked loss sale of lot \(lot.id)")
            }
        }
        if account.taxable { gain += value - sold[i] * lot.basisPerShare }
    }
    for (a, _) in problem.accounts.enumerated() { for (s, security) in problem.securities.enumerated() { traded += bought[a][s] * security.price } }
    if let budget = problem.netGainBudget, gain > budget + slack { out.append("net gain \(gain) over budget \(budget)") }
    if let limit = problem.turnoverLimit, traded > 2 * limit * t + slack { out.append("turnover \(traded / (2 * t)) over \(limit)") }
    if let bands = problem.classBands {
        let w = problem.weightsAfter(sharesBought: bought, sharesSold: sold)
        for (c, band) in bands.enumerated() where w[c] < band[0] - tolerance || w[c] > band[1] + tolerance {
            out.append("class \(problem.classes[c]) weight \(w[c]) outside \(band)")
        }
    }
    return out
}

@Suite("Tax-aware optimizer: golden values from cvxpy + Clarabel")
struct TaxAwareGoldenTests {
    @Test("Folio's relaxed optimum agrees with cvxpy + Clarabel to 1e-7 relative on every case, feasibly, with small KKT residuals")
    func agreesWithClarabel() throws {
        let cases = try goldenCases()
        #expect(cases.count >= 12)
        #expect(cases.contains { $0.problem.accounts.count == 4 } && cases.contains { $0.problem.accounts.count == 1 })
        let optimizer = TaxAwareOptimizer()
        for golden in cases {
            let solution = try optimizer.solveRelaxation(golden.problem)
            let difference = abs(solution.objective - golden.optimalObjective)
            let relative = difference / abs(golden.optimalObjective)
            print("tax-aware golden seed \(golden.seed): \(golden.problem.accounts.count) accounts x \(golden.problem.securities.count) securities x \(golden.problem.lots.count) lots; objective \(solution.objective) vs \(golden.optimalObjective) (relative \(relative)); KKT primal \(solution.residuals.primalFeasibility) dual \(solution.residuals.dualFeasibility) complementarity \(solution.residuals.complementarity); \(solution.iterations) iterations")
            #expect(relative <= 1e-7, "seed \(golden.seed): \(solution.objective) vs \(golden.optimalObjective)")
            #expect(solution.residuals.maximum <= 1e-9, "seed \(golden.seed)")
            let violations = constraintViolations(golden.problem, bought: solution.sharesBought, sold: solution.sharesSold)
            #expect(violations.isEmpty, "seed \(golden.seed): \(violations.prefix(5))")
            // The objective reported is the objective of the trades reported.
            let recomputed = golden.problem.objective(golden.problem.parts(sharesBought: solution.sharesBought, sharesSold: solution.sharesSold))
            #expect(abs(recomputed - solution.objective) <= 1e-12 * Swift.max(1, abs(recomputed)))
        }
    }

    @Test("Perturbing the data moves the optimum: the comparison is not vacuous")
    func perturbationIsDetected() throws {
        let golden = try #require(goldenCases().first)
        var problem = golden.problem
        problem.taxWeight *= 2
        problem.targetWeights[0] = Swift.min(1, problem.targetWeights[0] + 0.05)
        let solution = try TaxAwareOptimizer().solveRelaxation(problem)
        #expect(abs(solution.objective - golden.optimalObjective) > 1e-6 * abs(golden.optimalObjective))
    }
}
