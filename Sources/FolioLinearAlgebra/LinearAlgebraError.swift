/// A numerical failure reported by LAPACK: the data, not the program, was at fault.
///
/// Each case carries the LAPACK routine that failed and the `info` value it returned
/// (always positive here; negative `info` means an illegal argument, which is a programming
/// error and traps instead).
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The matrix is not positive definite: the leading minor of order `minor`
    /// (one-based, as LAPACK counts) is not positive.
    case notPositiveDefinite(minor: Int, routine: String, info: Int)
    /// The matrix is exactly singular: pivot `pivot` (one-based) is zero.
    case singular(pivot: Int, routine: String, info: Int)
    /// An iterative routine (an eigensolver) did not converge.
    case didNotConverge(routine: String, info: Int)
    /// The input contains NaN or an infinity, so no factorization was attempted.
    case nonFiniteInput(routine: String)

    /// The LAPACK routine that reported the failure.
    public var routine: String {
        switch self {
        case .notPositiveDefinite(_, let routine, _), .singular(_, let routine, _),
             .didNotConverge(let routine, _), .nonFiniteInput(let routine):
            return routine
        }
    }

    /// A one-line explanation naming the routine and LAPACK's `info`.
    public var description: String {
        switch self {
        case .notPositiveDefinite(let minor, let routine, let info):
            return "matrix is not positive definite: leading minor of order \(minor) is not positive (\(routine), info = \(info))"
        case .singular(let pivot, let routine, let info):
            return "matrix is singular: pivot \(pivot) is exactly zero (\(routine), info = \(info))"
        case .didNotConverge(let routine, let info):
            return "\(routine) did not converge (info = \(info))"
        case .nonFiniteInput(let routine):
            return "input contains NaN or infinity; \(routine) was not called"
        }
    }
}
