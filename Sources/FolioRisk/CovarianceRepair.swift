import FolioLinearAlgebra

/// Conversions between covariance and correlation matrices.
public enum CovarianceConversion {
    /// The correlation matrix Dᐨ¹ΣDᐨ¹ (D = diag of standard deviations) and the standard
    /// deviations √Σᵢᵢ. The diagonal is exactly 1. An asset with zero variance gets zero
    /// correlation with every other asset (never NaN).
    ///
    /// Matches PyPortfolioOpt `cov_to_corr` and skfolio `cov_to_corr`.
    /// - Precondition: `covariance` is square.
    /// - Complexity: O(N²).
    public static func correlation(fromCovariance covariance: Matrix) -> (correlation: Matrix, standardDeviations: [Double]) {
        precondition(covariance.isSquare, "Covariance must be square")
        let n = covariance.rows
        let sd = covariance.diagonal.map { Swift.max($0, 0).squareRoot() }
        let inv = sd.map { $0 > 0 ? 1 / $0 : 0 }
        var c = covariance
        c.elements.withUnsafeMutableBufferPointer { a in
            for j in 0..<n {
                for i in 0..<n { a[i + j * n] = i == j ? 1 : a[i + j * n] * inv[i] * inv[j] }
            }
        }
        return (c, sd)
    }

    /// The covariance matrix D·C·D from a correlation matrix C and standard deviations.
    ///
    /// Matches PyPortfolioOpt `corr_to_cov`.
    /// - Precondition: `correlation` is square with one row per standard deviation.
    /// - Complexity: O(N²).
    public static func covariance(fromCorrelation correlation: Matrix, standardDeviations sd: [Double]) -> Matrix {
        precondition(correlation.isSquare && correlation.rows == sd.count, "One standard deviation per row")
        let n = sd.count
        var c = correlation
        c.elements.withUnsafeMutableBufferPointer { a in
            for j in 0..<n { for i in 0..<n { a[i + j * n] *= sd[i] * sd[j] } }
        }
        return c
    }
}

/// Whether a symmetric matrix is positive definite, positive semidefinite, or neither.
public enum Definiteness: Sendable, Equatable {
    /// Every eigenvalue is positive and the Cholesky factorization succeeds: invertible
    /// (possibly ill-conditioned; see `CovarianceDiagnostics.conditionNumber`).
    case positiveDefinite
    /// The smallest eigenvalue is zero within N·ε·max|λ| and Cholesky fails or the smallest
    /// eigenvalue is not positive: singular, but a valid covariance.
    case positiveSemidefinite(smallestEigenvalue: Double)
    /// Some eigenvalue is clearly negative: not a valid covariance matrix.
    case indefinite(smallestEigenvalue: Double)
}

/// Checks on a covariance matrix.
public enum CovarianceDiagnostics {
    /// Classifies a symmetric matrix by its smallest eigenvalue (and a Cholesky attempt).
    ///
    /// - Throws: `RiskModelError.linearAlgebra` for NaN/infinite entries or an eigensolver failure.
    /// - Precondition: square.
    /// - Complexity: O(N³). Calls LAPACK `dsyevr` and `dpotrf`.
    public static func definiteness(_ matrix: Matrix) throws(RiskModelError) -> Definiteness {
        let eigenvalues = try eigen(matrix).eigenvalues
        guard let smallest = eigenvalues.first else { return .positiveDefinite }
        let largest = eigenvalues.map(abs).max() ?? 0
        let tolerance = Double(matrix.rows) * Double.ulpOfOne * largest
        if smallest > 0, (try? Cholesky(matrix)) != nil { return .positiveDefinite }
        if smallest >= -tolerance { return .positiveSemidefinite(smallestEigenvalue: smallest) }
        return .indefinite(smallestEigenvalue: smallest)
    }

    /// The 2-norm condition number λ_max / λ_min of a symmetric matrix; `.infinity` when the
    /// smallest eigenvalue is not positive.
    ///
    /// - Throws: `RiskModelError.linearAlgebra` for NaN/infinite entries or an eigensolver failure.
    /// - Complexity: O(N³). Calls LAPACK `dsyevr`.
    public static func conditionNumber(_ matrix: Matrix) throws(RiskModelError) -> Double {
        let eigenvalues = try eigen(matrix).eigenvalues
        guard let smallest = eigenvalues.first, let largest = eigenvalues.last else { return 1 }
        return smallest > 0 ? largest / smallest : .infinity
    }
}

func eigen(_ m: Matrix) throws(RiskModelError) -> SymmetricEigendecomposition {
    do { return try SymmetricEigendecomposition(m) } catch { throw .linearAlgebra(error) }
}

/// How to repair a covariance matrix that is not positive definite.
public enum PositiveDefiniteRepair: Sendable, Equatable {
    /// Clip the correlation matrix's eigenvalues at a small floor (1e-13, then 1e-12), rescale
    /// to unit diagonal and restore the variances.
    case eigenvalueClipping
    /// Higham's alternating projections with Dykstra's correction onto the nearest correlation
    /// matrix (Higham 2002, "Computing the nearest correlation matrix — a problem from
    /// finance", IMA J. Numer. Anal. 22), then the clipping step.
    case higham(maxIterations: Int)
}

/// Nearest positive-definite covariance, keeping every variance.
///
/// Follows skfolio `cov_nearest`: work on the correlation matrix, repair it, and scale back
/// with the original standard deviations. A matrix that is already positive definite (its
/// Cholesky factorization succeeds, its correlation's smallest eigenvalue is at least 5e-14)
/// comes back unchanged.
public enum NearestPositiveDefinite {
    static let clippingValue = 1e-13

    /// The nearest positive-definite covariance to `covariance` by `method`.
    ///
    /// - Throws: `RiskModelError.notPositiveDefinite` if the repair does not reach a
    ///   positive-definite matrix (Higham's iterations exhausted), `.invalidParameter` for a
    ///   non-positive variance, `.linearAlgebra` for non-finite input.
    /// - Precondition: square and symmetric (to 1e-10 of its largest element).
    /// - Complexity: O(N³) per eigendecomposition: one or two for clipping, two per Higham
    ///   iteration. Calls LAPACK `dsyevr`, `dpotrf`.
    public static func repair(_ covariance: Matrix, method: PositiveDefiniteRepair = .eigenvalueClipping)
        throws(RiskModelError) -> Matrix
    {
        precondition(covariance.isSquare, "Covariance must be square")
        let n = covariance.rows
        let variances = covariance.diagonal
        for (i, v) in variances.enumerated() where !(v > 0 && v.isFinite) {
            throw .invalidParameter(name: "variance of asset \(i)", value: v, expected: "positive and finite")
        }
        let (corr0, sd) = CovarianceConversion.correlation(fromCovariance: covariance)
        if (try? Cholesky(covariance)) != nil,
           try eigen(corr0).eigenvalues.first! >= clippingValue / 2,
           try eigen(covariance).eigenvalues.first! > 0 {
            return covariance
        }
        let eps = Double.ulpOfOne
        var corr = corr0
        if case .higham(let maxIterations) = method {
            var diff = Matrix(rows: n, columns: n)
            var x = corr
            var converged = false
            for _ in 0..<Swift.max(maxIterations, 1) {
                let adjusted = x - diff
                let e = try eigen(adjusted)
                x = e.recomposed(withEigenvalues: e.eigenvalues.map { Swift.max($0, 5 * eps) })
                diff = x - adjusted
                for i in 0..<n { x.elements[i + i * n] = 1 }
                let ev = try eigen(x).eigenvalues
                let tolerance = Double(n) * eps * (ev.map(abs).max() ?? 0)
                if ev[0] >= -tolerance { converged = true; break }
            }
            if !converged { throw .notPositiveDefinite(smallestEigenvalue: try eigen(x).eigenvalues[0]) }
            corr = x
        }
        let e = try eigen(corr)
        var last = covariance
        var lastEigenvalues: [Double] = []
        var choleskyOK = false
        for clip in [clippingValue, 10 * clippingValue] {
            var x = e.recomposed(withEigenvalues: e.eigenvalues.map { Swift.max($0, clip) })
            x = CovarianceConversion.correlation(fromCovariance: x).correlation
            var cov = CovarianceConversion.covariance(fromCorrelation: x, standardDeviations: sd)
            cov = symmetricPart(cov)
            for i in 0..<n { cov.elements[i + i * n] = variances[i] }
            choleskyOK = (try? Cholesky(cov)) != nil
            lastEigenvalues = try eigen(cov).eigenvalues
            last = cov
            if choleskyOK, lastEigenvalues[0] > 0, try eigen(x).eigenvalues[0] >= clippingValue / 2 {
                return cov
            }
        }
        let tolerance = Double(n) * eps * (lastEigenvalues.map(abs).max() ?? 0)
        if choleskyOK && lastEigenvalues[0] >= -tolerance { return last }
        throw .notPositiveDefinite(smallestEigenvalue: lastEigenvalues[0])
    }
}
