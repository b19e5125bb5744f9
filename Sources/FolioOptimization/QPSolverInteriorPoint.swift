import FolioLinearAlgebra

/// Mehrotra's predictor-corrector primal-dual interior-point method on the dense normal
/// equations H = Q + G̃ᵀ(Z/S)G̃, with a Schur complement for the equalities.
struct InteriorPoint {
    let problem: QuadraticProgram
    let tolerance: Double

    struct Outcome {
        var solution: QPSolution
        var converged: Bool
        var unbounded: Bool
        var iterations: Int
        var activeSet: QPActiveSet
    }

    func solve(maximumIterations: Int) -> Outcome {
        let p = problem
        let n = p.variableCount
        let me0 = p.equalityBounds.count, mi = p.inequalityBounds.count
        let fixedIndices = (0..<n).filter { p.lowerBounds[$0] == p.upperBounds[$0] }
        let lowerIndices = (0..<n).filter { p.lowerBounds[$0].isFinite && p.lowerBounds[$0] != p.upperBounds[$0] }
        let upperIndices = (0..<n).filter { p.upperBounds[$0].isFinite && p.lowerBounds[$0] != p.upperBounds[$0] }
        let me = me0 + fixedIndices.count
        var aeqElements = [Double](repeating: 0, count: me * n)
        var beq = [Double](repeating: 0, count: me)
        let pe = p.equalityMatrix.elements
        for j in 0..<n { for r in 0..<me0 { aeqElements[r + j * me] = pe[r + j * me0] } }
        for r in 0..<me0 { beq[r] = p.equalityBounds[r] }
        for (k, i) in fixedIndices.enumerated() { aeqElements[me0 + k + i * me] = 1; beq[me0 + k] = p.lowerBounds[i] }
        let aeq = Matrix(rows: me, columns: n, columnMajor: aeqElements)
        let g = p.inequalityMatrix, hG = p.inequalityBounds
        let nl = lowerIndices.count, nu = upperIndices.count
        let mtot = mi + nl + nu

        var scale = 1.0
        for v in p.linear { scale = Swift.max(scale, abs(v)) }
        for v in beq { scale = Swift.max(scale, abs(v)) }
        for v in hG { scale = Swift.max(scale, abs(v)) }

        // Starting point.
        var x = (0..<n).map { i -> Double in
            let l = p.lowerBounds[i], u = p.upperBounds[i]
            if l.isFinite && u.isFinite { return l == u ? l : 0.5 * (l + u) }
            if l.isFinite { return Swift.max(0, l + 1) }
            if u.isFinite { return Swift.min(0, u - 1) }
            return 0
        }
        var y = [Double](repeating: 0, count: me)
        var sG = [Double](repeating: 1, count: mi), zG = [Double](repeating: 1, count: mi)
        var sL = [Double](repeating: 1, count: nl), zL = [Double](repeating: 1, count: nl)
        var sU = [Double](repeating: 1, count: nu), zU = [Double](repeating: 1, count: nu)
        if mi > 0 {
            let gx = g * x
            for r in 0..<mi { sG[r] = Swift.max(hG[r] - gx[r], 1) }
        }
        for (k, i) in lowerIndices.enumerated() { sL[k] = Swift.max(x[i] - p.lowerBounds[i], 1) }
        for (k, i) in upperIndices.enumerated() { sU[k] = Swift.max(p.upperBounds[i] - x[i], 1) }

        var iterations = 0
        var converged = false, unbounded = false
        var delta = 1e-12 * scale
        for _ in 0..<maximumIterations {
            // Residuals.
            var rd = p.quadratic * x
            // Relative stopping test: residuals against the size of the terms (|Qx|, |x|),
            // so that weights of 1e6 at far bounds are not held to an absolute 1e-10.
            var termScale = scale
            for v in rd { termScale = Swift.max(termScale, abs(v)) }
            for v in x { termScale = Swift.max(termScale, abs(v)) }
            rd.addScaled(p.linear, by: 1)
            if me > 0 { rd.addScaled(aeq.multiplied(by: y, transposingSelf: true), by: 1) }
            if mi > 0 { rd.addScaled(g.multiplied(by: zG, transposingSelf: true), by: 1) }
            for (k, i) in lowerIndices.enumerated() { rd[i] -= zL[k] }
            for (k, i) in upperIndices.enumerated() { rd[i] += zU[k] }
            var re = me > 0 ? aeq * x : []
            for r in 0..<me { re[r] -= beq[r] }
            var rG = mi > 0 ? g * x : []
            for r in 0..<mi { rG[r] += sG[r] - hG[r] }
            let rL = lowerIndices.enumerated().map { k, i in p.lowerBounds[i] - x[i] + sL[k] }
            let rU = upperIndices.enumerated().map { k, i in x[i] + sU[k] - p.upperBounds[i] }
            let mu = mtot > 0 ? (sG.dot(zG) + sL.dot(zL) + sU.dot(zU)) / Double(mtot) : 0
            let dualNorm = rd.map(abs).max() ?? 0
            let primalNorm = (re + rG + rL + rU).map(abs).max() ?? 0
            if dualNorm <= tolerance * termScale && primalNorm <= tolerance * termScale && mu <= tolerance * scale * 0.1 {
                converged = true
                break
            }
            if (x.map(abs).max() ?? 0) > 1e12 * scale { unbounded = true; break }
            iterations += 1

            // Normal matrix H = Q + G̃ᵀ W G̃ + δI.
            var hElements = p.quadratic.elements
            if mi > 0 {
                var scaled = g.elements
                for r in 0..<mi {
                    let w = (zG[r] / sG[r]).squareRoot()
                    for j in 0..<n { scaled[r + j * mi] *= w }
                }
                hElements.addScaled(Matrix(rows: mi, columns: n, columnMajor: scaled).gramian().elements, by: 1)
            }
            for (k, i) in lowerIndices.enumerated() { hElements[i + i * n] += zL[k] / sL[k] }
            for (k, i) in upperIndices.enumerated() { hElements[i + i * n] += zU[k] / sU[k] }
            var chol: Cholesky?
            for _ in 0..<12 {
                var shifted = hElements
                for i in 0..<n { shifted[i + i * n] += delta }
                if let c = try? Cholesky(Matrix(rows: n, columns: n, columnMajor: shifted)) { chol = c; break }
                delta *= 100
            }
            guard let factor = chol else { break }
            let hInvAT = me > 0 ? factor.solve(aeq.transposed) : Matrix(rows: n, columns: 0)
            var schur = me > 0 ? aeq.multiplied(by: hInvAT) : Matrix(rows: 0, columns: 0)
            if me > 0 {
                schur.mirrorLowerTriangle()
                for r in 0..<me { schur[r, r] += 1e-14 * (1 + abs(schur[r, r])) }
            }

            func newton(_ rszG: [Double], _ rszL: [Double], _ rszU: [Double])
                -> (dx: [Double], dy: [Double], dsG: [Double], dzG: [Double], dsL: [Double], dzL: [Double], dsU: [Double], dzU: [Double])? {
                var rhs = rd.map { -$0 }
                var tG = [Double](repeating: 0, count: mi)
                for r in 0..<mi { tG[r] = (zG[r] * rG[r] - rszG[r]) / sG[r] }
                if mi > 0 { rhs.addScaled(g.multiplied(by: tG, transposingSelf: true), by: -1) }
                var tL = [Double](repeating: 0, count: nl), tU = [Double](repeating: 0, count: nu)
                for (k, i) in lowerIndices.enumerated() { tL[k] = (zL[k] * rL[k] - rszL[k]) / sL[k]; rhs[i] += tL[k] }
                for (k, i) in upperIndices.enumerated() { tU[k] = (zU[k] * rU[k] - rszU[k]) / sU[k]; rhs[i] -= tU[k] }
                let hr = factor.solve(rhs)
                var dy = [Double](repeating: 0, count: me)
                var dx = hr
                if me > 0 {
                    var t = aeq * hr
                    for r in 0..<me { t[r] += re[r] }
                    guard let solved = try? schur.solve(t) else { return nil }
                    dy = solved
                    dx.addScaled(hInvAT * dy, by: -1)
                }
                let gdx = mi > 0 ? g * dx : []
                var dsG = [Double](repeating: 0, count: mi), dzG = dsG
                for r in 0..<mi {
                    dsG[r] = -rG[r] - gdx[r]
                    dzG[r] = (zG[r] / sG[r]) * gdx[r] + tG[r]
                }
                var dsL = [Double](repeating: 0, count: nl), dzL = dsL
                for (k, i) in lowerIndices.enumerated() {
                    dsL[k] = -rL[k] + dx[i]
                    dzL[k] = -(zL[k] / sL[k]) * dx[i] + tL[k]
                }
                var dsU = [Double](repeating: 0, count: nu), dzU = dsU
                for (k, i) in upperIndices.enumerated() {
                    dsU[k] = -rU[k] - dx[i]
                    dzU[k] = (zU[k] / sU[k]) * dx[i] + tU[k]
                }
                return (dx, dy, dsG, dzG, dsL, dzL, dsU, dzU)
            }
            func maxStep(_ v: [Double], _ dv: [Double]) -> Double {
                var alpha = 1.0
                for k in 0..<v.count where dv[k] < 0 { alpha = Swift.min(alpha, -v[k] / dv[k]) }
                return alpha
            }
            let szG = zip(sG, zG).map(*), szL = zip(sL, zL).map(*), szU = zip(sU, zU).map(*)
            guard let aff = newton(szG, szL, szU) else { break }
            let alphaAff = [maxStep(sG, aff.dsG), maxStep(zG, aff.dzG), maxStep(sL, aff.dsL), maxStep(zL, aff.dzL),
                            maxStep(sU, aff.dsU), maxStep(zU, aff.dzU)].min() ?? 1
            var sigma = 0.0
            var corrG = szG, corrL = szL, corrU = szU
            if mtot > 0 {
                var muAff = 0.0
                for r in 0..<mi { muAff += (sG[r] + alphaAff * aff.dsG[r]) * (zG[r] + alphaAff * aff.dzG[r]) }
                for k in 0..<nl { muAff += (sL[k] + alphaAff * aff.dsL[k]) * (zL[k] + alphaAff * aff.dzL[k]) }
                for k in 0..<nu { muAff += (sU[k] + alphaAff * aff.dsU[k]) * (zU[k] + alphaAff * aff.dzU[k]) }
                muAff /= Double(mtot)
                sigma = mu > 0 ? Swift.min(1, pow3(muAff / mu)) : 0
                for r in 0..<mi { corrG[r] += aff.dsG[r] * aff.dzG[r] - sigma * mu }
                for k in 0..<nl { corrL[k] += aff.dsL[k] * aff.dzL[k] - sigma * mu }
                for k in 0..<nu { corrU[k] += aff.dsU[k] * aff.dzU[k] - sigma * mu }
            }
            guard let step = newton(corrG, corrL, corrU) else { break }
            let alphaMax = [maxStep(sG, step.dsG), maxStep(zG, step.dzG), maxStep(sL, step.dsL), maxStep(zL, step.dzL),
                            maxStep(sU, step.dsU), maxStep(zU, step.dzU)].min() ?? 1
            let alpha = Swift.min(1, 0.99 * alphaMax)
            x.addScaled(step.dx, by: alpha)
            if me > 0 { y.addScaled(step.dy, by: alpha) }
            if mi > 0 { sG.addScaled(step.dsG, by: alpha); zG.addScaled(step.dzG, by: alpha) }
            if nl > 0 { sL.addScaled(step.dsL, by: alpha); zL.addScaled(step.dzL, by: alpha) }
            if nu > 0 { sU.addScaled(step.dsU, by: alpha); zU.addScaled(step.dzU, by: alpha) }
            if !(x.allSatisfy(\.isFinite) && y.allSatisfy(\.isFinite)) { break }
            delta = Swift.max(1e-12 * scale, delta * 0.01)
        }

        // Map back to the problem's multipliers.
        if !x.allSatisfy(\.isFinite) { x = [Double](repeating: 0, count: n); converged = false }
        var zl = [Double](repeating: 0, count: n), zu = [Double](repeating: 0, count: n)
        for (k, i) in lowerIndices.enumerated() { zl[i] = zL[k] }
        for (k, i) in upperIndices.enumerated() { zu[i] = zU[k] }
        for (k, i) in fixedIndices.enumerated() {
            let v = y[me0 + k]
            zu[i] = Swift.max(v, 0); zl[i] = Swift.max(-v, 0)
        }
        let nuOut = Array(y[0..<me0]).map { $0.isFinite ? $0 : 0 }
        let lambda = zG.map { $0.isFinite ? $0 : 0 }
        let residuals = p.kktResiduals(x: x, equalityMultipliers: nuOut, inequalityMultipliers: lambda,
                                       lowerBoundMultipliers: zl, upperBoundMultipliers: zu)
        var set = QPActiveSet()
        for (k, i) in lowerIndices.enumerated() where sL[k] < zL[k] { set.atLower.insert(i) }
        for (k, i) in upperIndices.enumerated() where sU[k] < zU[k] && !set.atLower.contains(i) { set.atUpper.insert(i) }
        for i in fixedIndices { set.atLower.insert(i) }
        for r in 0..<mi where sG[r] < zG[r] { set.activeInequalities.insert(r) }
        let solution = QPSolution(
            status: converged ? .optimal : .iterationLimit, iterations: iterations,
            objective: p.objective(at: x), x: x, equalityMultipliers: nuOut, inequalityMultipliers: lambda,
            lowerBoundMultipliers: zl, upperBoundMultipliers: zu, residuals: residuals, activeSet: set, infeasibility: nil)
        return Outcome(solution: solution, converged: converged, unbounded: unbounded, iterations: iterations, activeSet: set)
    }
}

@inline(__always) private func pow3(_ v: Double) -> Double { v * v * v }
