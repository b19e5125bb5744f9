import Foundation
import Testing
import FolioOptimization
import FolioRebalancing
@testable import FolioTaxAware

/// The structured interior point (Woodbury / Schur complement on the classes and the few rows)
/// against the dense QP engine, and on the households where the dense engine stalled.
@Suite("Tax-aware structured solver")
struct TaxAwareStructuredSolverTests {
    /// The dense engine's optimum of the same relaxation (no structured path).
    static func dense(_ problem: TaxAwareProblem) throws -> [Double] {
        let layout = TaxAwareLayout(problem)
        return try TaxAwareOptimizer().solveDense(layout).x
    }

    @Test("the structured solver converges on every golden case without the dense fallback, to the dense engine's optimum")
    func structuredMatchesDense() throws {
        for golden in try goldenCases().prefix(6) {
            let layout = TaxAwareLayout(golden.problem)
            let fast = try #require(TaxAwareOptimizer().solveStructured(layout, warmStart: nil), "seed \(golden.seed): no convergence")
            #expect(fast.residuals.maximum <= 1e-9, "seed \(golden.seed): \(fast.residuals)")
            let (program, _) = try #require(layout.structuredProgram())
            let slow = try Self.dense(golden.problem)
            let difference = program.objective(fast.x) - program.objective(slow)
            #expect(abs(difference) <= 1e-9 * Swift.max(1, abs(program.objective(slow))), "seed \(golden.seed): \(difference)")
            // Recomputed feasibility: bounds and rows at the returned x.
            for i in 0..<program.n { #expect(fast.x[i] >= 0 && fast.x[i] <= program.upper[i]) }
            for (r, row) in program.rows.enumerated() { #expect(row.dot(fast.x) <= program.rhs[r] + 1e-12, "seed \(golden.seed) row \(r)") }
        }
    }

    @Test("a warm start from another tax weight's active set gives the cold optimum; a wrong or out-of-range one is harmless")
    func warmStartIsSafe() throws {
        let golden = try #require(goldenCases().first)
        var near = golden.problem
        near.taxWeight *= 1.3
        let optimizer = TaxAwareOptimizer()
        let cold = try optimizer.solveRelaxation(near)
        let from = try optimizer.solveRelaxation(golden.problem)
        let warm = try optimizer.solveRelaxation(near, warmStart: from.activeSet)
        #expect(abs(warm.objective - cold.objective) <= 1e-12 * Swift.max(1, abs(cold.objective)))
        let everything = Set(0..<10_000)
        let hostile = try optimizer.solveRelaxation(near, warmStart: QPActiveSet(atLower: everything, atUpper: everything, activeInequalities: everything))
        #expect(abs(hostile.objective - cold.objective) <= 1e-12 * Swift.max(1, abs(cold.objective)))
    }

    @Test("the households where the dense engine hit its iteration limit (H88, H136, H209, H657, H720, H778) solve at every tax weight")
    func formerStallsSolve() throws {
        let stalled: Set<Int> = [88, 136, 209, 657, 720, 778]
        var rng = Seeded(seed: 2026)
        let weights = (0..<13).map { pow(10, -3 + Double($0) / 2) }   // 1e-3 … 1e3, the comparison's range
        var solved = 0
        for n in 0...stalled.max()! {
            let c = TaxAwareHouseholds.make(&rng, n)
            guard stalled.contains(n) else { continue }
            let built = try TaxAwareHouseholds.problem(c, settings: TaxAwareSettings(trackingWeight: 10_000))
            for weight in weights {
                var p = built.problem
                p.taxWeight = weight
                let fast = TaxAwareOptimizer().solveStructured(TaxAwareLayout(p), warmStart: nil)
                #expect(fast != nil, "H\(n) at tax weight \(weight): the structured solver did not converge")
                // λ = 10⁴ makes the objective ~750 times the golden cases' scale: the same
                // relative accuracy (1e-12 of the scaled program) is ~1e-9 here.
                if let fast { #expect(fast.residuals.maximum <= 1e-8, "H\(n) at \(weight): \(fast.residuals)") }
                solved += 1
            }
        }
        #expect(solved == stalled.count * weights.count)
    }
}
