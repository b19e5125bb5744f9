/// The QP engine's fixed tolerances and thresholds, named in one place. All are relative
/// (to `QPSolver.tolerance`, to a data scale or to a pivot) unless stated; the only tolerance
/// a caller sets is `QPSolver.tolerance` (default 1e-9).
enum QPTolerances {
    /// Working-set classification: a bound or row counts as violated, and a multiplier as
    /// wrong-signed, beyond this fraction of `QPSolver.tolerance` (times the data scale for
    /// multipliers), so that the accepted answer is well inside the acceptance test.
    static let classificationFraction = 1e-2
    /// A free-variable Hessian block Q_FF is factored by Cholesky only when its reciprocal
    /// 1-norm condition estimate exceeds this; otherwise the KKT system goes to Bunch-Kaufman.
    static let hessianReciprocalCondition = 1e-13
    /// The same floor for the Schur complement C Q_FF⁻¹ Cᵀ of the active rows.
    static let schurReciprocalCondition = 1e-14
    /// A bordered free-set inverse (`FreeSetInverse.enter`) refuses a new index whose Schur
    /// pivot is below this fraction of its diagonal entry (numerically dependent).
    static let borderingPivot = 1e-12
    /// The primal active-set step counts as zero (stationary on its face) below this times
    /// 1 + |x|∞.
    static let stationaryStep = 1e-13
    /// The interior point runs to `min(QPSolver.tolerance, interiorPointCeiling)` times
    /// `interiorPointFraction`, tighter than acceptance, so that its active set is right.
    static let interiorPointCeiling = 1e-9
    /// See `interiorPointCeiling`.
    static let interiorPointFraction = 0.1
    /// The interior point's answer is accepted without an active-set polish when its
    /// residuals pass the acceptance test loosened by this factor.
    static let unpolishedAcceptanceFactor = 1e3
    /// A finite bound beyond this many times the largest right-hand side is a "no bound"
    /// stand-in, dropped first (`QuadraticProgram.withFarBoundsRemoved`).
    static let farBoundFactor = 1e4
    /// Regularization δ of the quasi-definite KKT matrix [H + δI, Cᵀ; C, −δI], relative to
    /// the largest |Hᵢⱼ|; the solution is refined against the unregularized system.
    static let kktRegularization = 1e-9
    /// Iterative refinement of a regularized KKT solve stops at this relative residual ...
    static let refinementTarget = 1e-15
    /// ... and the solve is rejected above this one.
    static let refinementCeiling = 1e-11
    /// The elastic phase one names a constraint as violated above this absolute violation.
    static let elasticViolation = 1e-7
    /// The elastic phase one's tiny proximal term on x (keeps its Hessian nonsingular).
    static let elasticRegularization = 1e-8
    /// The elastic phase one's interior-point tolerance.
    static let elasticTolerance = 1e-10
}
