import Foundation
import Testing
import FolioLinearAlgebra
@testable import FolioOptimization

@Test func debugGolden() throws {
    let only = ProcessInfo.processInfo.environment["CASE"] ?? ""
    for golden in Golden.cases where only.isEmpty || golden.name.contains(only) {
        let start = Date()
        do {
            let r = try golden.solve()
            let werr = zip(r.weights, golden.weights).map { abs($0 - $1) }.max() ?? 0
            print("DBG \(golden.name) t=\(Date().timeIntervalSince(start)) it=\(r.solution.iterations) obj=\(r.objective) gold=\(golden.objectiveValue) werr=\(werr) kkt=\(r.solution.residuals)")
        } catch {
            print("DBG \(golden.name) t=\(Date().timeIntervalSince(start)) error \(error)")
        }
    }
}

@Test func debugIPM() throws {
    let only = ProcessInfo.processInfo.environment["CASE"] ?? "turnover_100"
    let golden = Golden.cases.first { $0.name.contains(only) }!
    let n = golden.n
    let built = MeanVarianceProgram.build(hessian: 2 * golden.covariance, linear: Array(repeating: 0, count: n), constant: 0, constraints: golden.portfolioConstraints)
    let ipm = InteriorPoint(problem: built.program, tolerance: 1e-10).solve(maximumIterations: 200)
    print("DBG IPM converged=\(ipm.converged) it=\(ipm.iterations) obj=\(ipm.solution.objective) kkt=\(ipm.solution.residuals) gold=\(golden.objectiveValue)")
    var it = 0
    let engine = ActiveSetEngine(problem: built.program, tolerance: 1e-9)
    let pd = engine.run(from: ipm.activeSet, maximumIterations: 100, iterations: &it)
    print("DBG PDAS \(pd != nil) it=\(it) obj=\(pd?.objective ?? -1) kkt=\(String(describing: pd?.residuals))")
    let s = QPSolver().solve(built.program)
    print("DBG full \(s.status) it=\(s.iterations) obj=\(s.objective) kkt=\(s.residuals)")
    let w = built.weights(from: s.x)
    print("DBG werr \(zip(w, golden.weights).map { abs($0 - $1) }.max()!) goldobj-check \(golden.covariance.quadraticForm(golden.weights)) turnover gold \(zip(golden.weights, golden.constraints.currentWeights!).map { abs($0 - $1) }.reduce(0, +)) mine \(zip(w, golden.constraints.currentWeights!).map { abs($0 - $1) }.reduce(0, +))")
}

@Test func debugTiming() throws {
    let golden = Golden.cases.first { $0.name == "minvar_longonly_500" }!
    var t = Date()
    let sigma = golden.covariance
    print("DBG cov \(Date().timeIntervalSince(t))"); t = Date()
    let built = MeanVarianceProgram.build(hessian: 2 * sigma, linear: Array(repeating: 0, count: 500), constant: 0, constraints: .longOnly)
    print("DBG build \(Date().timeIntervalSince(t))"); t = Date()
    let s = QPSolver().solve(built.program)
    print("DBG solve \(Date().timeIntervalSince(t)) \(s.iterations)"); t = Date()
}

@Test func debugLP() throws {
    let golden = Golden.cases.first { $0.name == "efficient_risk_turnover_20" }!
    let built = MeanVarianceProgram.build(hessian: Matrix(rows: 20, columns: 20), linear: golden.expectedReturns.map { -$0 }, constant: 0, constraints: golden.portfolioConstraints)
    let ipm = InteriorPoint(problem: built.program, tolerance: 1e-10).solve(maximumIterations: 200)
    print("DBG IPM converged=\(ipm.converged) it=\(ipm.iterations) obj=\(ipm.solution.objective) kkt=\(ipm.solution.residuals)")
    let s = QPSolver().solve(built.program)
    print("DBG full \(s.status) it=\(s.iterations) obj=\(s.objective) kkt=\(s.residuals)")
}
