import FolioLinearAlgebra
import FolioRisk

/// How a backtest estimates expected returns on each train window.
public enum ExpectedReturnsModel: Sendable, Equatable {
    /// The arithmetic mean return times the periods per year (skfolio's `EmpiricalMu`,
    /// annualized).
    case arithmeticMean
    /// The compounded mean (CAGR), PyPortfolioOpt's `mean_historical_return`.
    case compoundedMean
    /// The exponentially weighted mean (PyPortfolioOpt's `ema_historical_return`).
    case exponentiallyWeighted(ExponentialDecay)
    /// CAPM returns against the equal-weighted average of the assets.
    case capm

    /// The annual expected returns of `returns`; `riskFreeRate` (annual) is used by CAPM.
    ///
    /// - Throws: `RiskModelError` from the estimator.
    /// - Complexity: O(N·T).
    public func estimate(_ returns: ReturnSeries, riskFreeRate: Double) throws(RiskModelError) -> [Double] {
        switch self {
        case .arithmeticMean: return ExpectedReturns.meanHistorical(returns, compounding: false).values
        case .compoundedMean: return ExpectedReturns.meanHistorical(returns).values
        case .exponentiallyWeighted(let decay): return try ExpectedReturns.exponentiallyWeighted(returns, decay: decay).values
        case .capm: return try ExpectedReturns.capm(returns, riskFreeRate: riskFreeRate).values
        }
    }

    /// Whether the objective reads expected returns at all.
    static func isNeeded(by objective: BacktestObjective) -> Bool {
        objective.meanVariance?.needsExpectedReturns ?? false
    }
}

/// The portfolio a backtest fits on each train window.
public enum BacktestObjective: Sendable, Equatable {
    /// Minimum variance (``MinimumVariance``), warm-started from the previous window's active set.
    case minimumVariance
    /// Maximum Sharpe ratio (``MaximumSharpe``).
    case maximumSharpe
    /// Maximum quadratic utility μᵀw − (δ/2)wᵀΣw (``MaximumUtility``), warm-started.
    case maximumUtility(riskAversion: Double)
    /// Maximum diversification ratio (``MaximumDiversification``).
    case maximumDiversification
    /// Equal risk contribution (``RiskBudgeting`` with equal budgets).
    case riskParity
    /// Hierarchical risk parity (``HierarchicalRiskParity``) with a linkage.
    case hierarchicalRiskParity(Linkage)
    /// Hierarchical equal risk contribution (``HierarchicalEqualRiskContribution``).
    case hierarchicalEqualRiskContribution(Linkage)
    /// Inverse-volatility weights.
    case inverseVolatility
    /// Equal weights (1/N): the baseline every other configuration should beat.
    case equalWeight

    /// The mean-variance objective this is, or nil for the allocators.
    public var meanVariance: MeanVarianceProblem.Objective? {
        switch self {
        case .minimumVariance: return .minimumVariance
        case .maximumSharpe: return .maximumSharpe
        case .maximumUtility(let delta): return .maximumUtility(riskAversion: delta)
        case .maximumDiversification: return .maximumDiversification
        case .riskParity, .hierarchicalRiskParity, .hierarchicalEqualRiskContribution, .inverseVolatility, .equalWeight: return nil
        }
    }
}

/// One configuration to backtest: a covariance estimator, an expected-returns model and an
/// objective under constraints, with a name for the comparison table.
public struct PortfolioConfiguration: Sendable {
    /// The name shown in comparisons (unique within one comparison).
    public var name: String
    /// The covariance estimator fitted on each train window.
    public var covariance: any CovarianceEstimator
    /// The expected-returns model fitted on each train window (read by the objectives that
    /// need expected returns).
    public var expectedReturns: ExpectedReturnsModel
    /// The objective.
    public var objective: BacktestObjective
    /// The constraints of the mean-variance objectives (default: long-only, fully invested);
    /// the allocators are always long-only and fully invested.
    public var constraints: PortfolioConstraints
    /// The annual risk-free rate for maximum Sharpe, CAPM and the reported Sharpe ratio.
    public var riskFreeRate: Double
    /// The QP solver of the mean-variance objectives.
    public var solver: QPSolver

    /// A configuration. The default covariance is the sample covariance (T − 1, annualized),
    /// as skfolio's `EmpiricalCovariance`; the default expected returns the arithmetic mean,
    /// as skfolio's `EmpiricalMu`.
    ///
    /// - Complexity: O(1).
    public init(name: String, covariance: any CovarianceEstimator = SampleCovariance(),
                expectedReturns: ExpectedReturnsModel = .arithmeticMean, objective: BacktestObjective,
                constraints: PortfolioConstraints = .longOnly, riskFreeRate: Double = 0, solver: QPSolver = QPSolver()) {
        self.name = name
        self.covariance = covariance
        self.expectedReturns = expectedReturns
        self.objective = objective
        self.constraints = constraints
        self.riskFreeRate = riskFreeRate
        self.solver = solver
    }

    /// Fits the weights on one train window; `warmStart` carries the QP active set from one
    /// window to the next.
    func fit(_ train: ReturnSeries, window: Int, warmStart: inout QPActiveSet?) throws(OutOfSampleError) -> [Double] {
        let sigma: Matrix
        var mu: [Double]? = nil
        do {
            sigma = try covariance.estimate(train).annualized(periodsPerYear: train.periodsPerYear).matrix
            if ExpectedReturnsModel.isNeeded(by: objective) {
                mu = try expectedReturns.estimate(train, riskFreeRate: riskFreeRate)
            }
        } catch {
            throw .riskModel(error, window: window)
        }
        if let meanVariance = objective.meanVariance {
            do {
                let result = try MeanVarianceProblem(
                    objective: meanVariance, covariance: sigma, expectedReturns: mu, constraints: constraints,
                    riskFreeRate: riskFreeRate, solver: solver, warmStart: warmStart).solve()
                warmStart = result.solution.activeSet
                return result.weights
            } catch {
                throw .optimization(error, configuration: name, window: window)
            }
        }
        do {
            switch objective {
            case .riskParity: return try RiskBudgeting().allocate(covariance: sigma).weights
            case .hierarchicalRiskParity(let linkage):
                return try HierarchicalRiskParity(linkage: linkage).allocate(covariance: sigma).weights
            case .hierarchicalEqualRiskContribution(let linkage):
                return try HierarchicalEqualRiskContribution(linkage: linkage).allocate(covariance: sigma).weights
            case .inverseVolatility: return try SimpleAllocator.inverseVolatility.allocate(covariance: sigma).weights
            default: return try SimpleAllocator.equalWeight.allocate(covariance: sigma).weights
            }
        } catch {
            throw .allocation(error, configuration: name, window: window)
        }
    }
}
