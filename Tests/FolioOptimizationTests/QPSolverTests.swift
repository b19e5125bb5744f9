import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

@Suite("Convex QP engine")
struct QPSolverTests {
    /// min ½(x₁² + x₂²) − x₁ − x₂ s.t. x₁ + x₂ ≤ 1, x ≥ 0: optimum (½, ½), λ = ½.
    @Test func smallInequalityProblem() {
        let qp = QuadraticProgram(
            quadratic: .identity(2), linear: [-1, -1],
            inequalityMatrix: Matrix(rows: [[1, 1]]), inequalityBounds: [1],
            lowerBounds: [0, 0], upperBounds: [.infinity, .infinity])
        let s = QPSolver().solve(qp)
        #expect(s.status == .optimal)
        #expect(abs(s.x[0] - 0.5) < 1e-12 && abs(s.x[1] - 0.5) < 1e-12)
        #expect(abs(s.inequalityMultipliers[0] - 0.5) < 1e-12)
        #expect(s.residuals.maximum < 1e-12)
        #expect(abs(s.objective - (-0.75)) < 1e-12)
    }

    @Test func interiorPointPathMatchesActiveSet() {
        // Force the interior point (no active-set iterations, so no polish either) and compare.
        let (sigma, _) = sampleProblem(assets: 30, days: 300, seed: 3)
        let qp = QuadraticProgram(
            quadratic: 2 * sigma, linear: Array(repeating: 0, count: 30),
            equalityMatrix: Matrix(rows: [Array(repeating: 1, count: 30)]), equalityBounds: [1],
            lowerBounds: Array(repeating: 0, count: 30), upperBounds: Array(repeating: 0.1, count: 30))
        let a = QPSolver().solve(qp)
        let b = QPSolver(maximumActiveSetIterations: 0).solve(qp)
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(zip(a.x, b.x).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(b.residuals.maximum < 1e-8)
    }

    @Test func warmStartReusesActiveSet() {
        let (sigma, _) = sampleProblem(assets: 40, days: 400, seed: 4)
        let qp = QuadraticProgram(
            quadratic: 2 * sigma, linear: Array(repeating: 0, count: 40),
            equalityMatrix: Matrix(rows: [Array(repeating: 1, count: 40)]), equalityBounds: [1],
            lowerBounds: Array(repeating: 0, count: 40), upperBounds: Array(repeating: 1, count: 40))
        let cold = QPSolver().solve(qp)
        let warm = QPSolver().solve(qp, warmStart: cold.activeSet)
        #expect(warm.iterations == 1)
        #expect(zip(cold.x, warm.x).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func infeasibleQPNamesTheConstraintSet() {
        // x₁ + x₂ = 3 with 0 ≤ x ≤ 1: the equality cannot hold within the bounds.
        let qp = QuadraticProgram(
            quadratic: .identity(2), linear: [0, 0],
            equalityMatrix: Matrix(rows: [[1, 1]]), equalityBounds: [3],
            lowerBounds: [0, 0], upperBounds: [1, 1])
        let s = QPSolver().solve(qp)
        #expect(s.status == .infeasible)
        #expect(s.infeasibility?.constraintSet == .equalities)
        #expect(abs((s.infeasibility?.minimumViolation ?? 0) - 1) < 1e-6)
        #expect(s.x.allSatisfy { $0.isFinite })
    }

    @Test func crossedBoundsAreInfeasible() {
        let qp = QuadraticProgram(quadratic: .identity(1), linear: [0], lowerBounds: [1], upperBounds: [0])
        let s = QPSolver().solve(qp)
        #expect(s.status == .infeasible && s.infeasibility?.constraintSet == .bounds)
    }

    @Test func unboundedLinearDirection() {
        // min −x with x ≥ 0 and no curvature: unbounded.
        let qp = QuadraticProgram(quadratic: Matrix(rows: 1, columns: 1), linear: [-1], lowerBounds: [0], upperBounds: [.infinity])
        let s = QPSolver().solve(qp)
        #expect(s.status != .optimal)
        #expect(s.x.allSatisfy { $0.isFinite })
    }
}
