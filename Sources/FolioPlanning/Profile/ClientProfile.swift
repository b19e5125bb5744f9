import Foundation
import FolioRebalancing

/// Lower and upper bounds on a weight, fractions; either may be absent.
public struct WeightBounds: Sendable, Hashable, Codable {
    /// The smallest weight allowed, or `nil` (0).
    public var minimum: Double?
    /// The largest weight allowed, or `nil` (1).
    public var maximum: Double?

    /// Creates bounds.
    /// - Parameters:
    ///   - minimum: Smallest weight (fraction), or `nil`.
    ///   - maximum: Largest weight (fraction), or `nil`.
    public init(minimum: Double? = nil, maximum: Double? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The lower bound, 0 when absent.
    public var lower: Double { minimum ?? 0 }
    /// The upper bound, 1 when absent.
    public var upper: Double { maximum ?? 1 }
}

/// A client's investment constraints, used by model and optimizer targets.
public struct ClientConstraints: Sendable, Hashable, Codable {
    /// Symbols never bought (held ones may be sold).
    public var excludedSymbols: Set<String>
    /// Sector ids whose securities are never bought.
    public var excludedSectors: Set<String>
    /// Asset classes left out of the target.
    public var excludedAssetClasses: Set<String>
    /// Bounds per asset class id.
    public var assetClassBounds: [String: WeightBounds]
    /// The largest weight of any one security in an optimizer target, or `nil`.
    public var maxSecurityWeight: Double?

    /// Creates constraints; every field defaults to "none".
    /// - Parameters:
    ///   - excludedSymbols: Symbols never bought.
    ///   - excludedSectors: Sectors never bought.
    ///   - excludedAssetClasses: Classes left out.
    ///   - assetClassBounds: Bounds per class.
    ///   - maxSecurityWeight: Largest single-security weight.
    public init(
        excludedSymbols: Set<String> = [], excludedSectors: Set<String> = [], excludedAssetClasses: Set<String> = [],
        assetClassBounds: [String: WeightBounds] = [:], maxSecurityWeight: Double? = nil
    ) {
        self.excludedSymbols = excludedSymbols
        self.excludedSectors = excludedSectors
        self.excludedAssetClasses = excludedAssetClasses
        self.assetClassBounds = assetClassBounds
        self.maxSecurityWeight = maxSecurityWeight
    }

    /// No constraints.
    public static let none = ClientConstraints()
}

/// Combined marginal tax rates of a client, fractions.
public struct ClientTaxRates: Sendable, Hashable, Codable {
    /// Rate on ordinary income.
    public var ordinaryIncome: Double?
    /// Rate on short-term gains (defaults to the ordinary rate when absent).
    public var shortTermGains: Double?
    /// Rate on long-term gains.
    public var longTermGains: Double?

    /// Creates tax rates.
    /// - Parameters:
    ///   - ordinaryIncome: Ordinary income rate.
    ///   - shortTermGains: Short-term gains rate.
    ///   - longTermGains: Long-term gains rate.
    public init(ordinaryIncome: Double? = nil, shortTermGains: Double? = nil, longTermGains: Double? = nil) {
        self.ordinaryIncome = ordinaryIncome
        self.shortTermGains = shortTermGains
        self.longTermGains = longTermGains
    }
}

/// A client household's profile: who they are, their horizon, taxes, constraints, questionnaire
/// answers and goals (the content of `profile.yaml` with its `answers.yaml` and `goals.yaml`).
public struct ClientProfile: Sendable, Hashable, Codable {
    /// A person of the household.
    public struct Person: Sendable, Hashable, Codable {
        /// Name.
        public var name: String
        /// Year of birth.
        public var birthYear: Int

        /// Creates a person.
        /// - Parameters:
        ///   - name: Name.
        ///   - birthYear: Year of birth.
        public init(name: String, birthYear: Int) {
            self.name = name
            self.birthYear = birthYear
        }
    }

    /// Tax filing status.
    public enum FilingStatus: String, Sendable, Hashable, Codable, CaseIterable {
        /// Single.
        case single
        /// Married filing jointly.
        case marriedJoint = "married-joint"
        /// Married filing separately.
        case marriedSeparate = "married-separate"
        /// Head of household.
        case headOfHousehold = "head-of-household"
    }

    /// The primary client (drives age and horizon).
    public var client: Person
    /// The spouse or partner, if any.
    public var spouse: Person?
    /// Annual household income before tax, in currency.
    public var householdIncome: Decimal?
    /// Filing status.
    public var filingStatus: FilingStatus?
    /// Number of dependents.
    public var dependents: Int
    /// Planned retirement age of the primary client.
    public var retirementAge: Int?
    /// Planning horizon in years; when `nil`, `retirementAge − age`.
    public var horizonYears: Int?
    /// Marginal tax rates.
    public var taxRates: ClientTaxRates
    /// Investment constraints.
    public var constraints: ClientConstraints
    /// Questionnaire answers, if taken.
    public var answers: QuestionnaireAnswers?
    /// Goals, if any.
    public var goals: GoalSet?

    /// Creates a profile.
    /// - Parameters:
    ///   - client: Primary client.
    ///   - spouse: Spouse or partner.
    ///   - householdIncome: Annual income.
    ///   - filingStatus: Filing status.
    ///   - dependents: Dependents.
    ///   - retirementAge: Planned retirement age.
    ///   - horizonYears: Planning horizon.
    ///   - taxRates: Tax rates.
    ///   - constraints: Investment constraints.
    ///   - answers: Questionnaire answers.
    ///   - goals: Goals.
    public init(
        client: Person, spouse: Person? = nil, householdIncome: Decimal? = nil, filingStatus: FilingStatus? = nil,
        dependents: Int = 0, retirementAge: Int? = nil, horizonYears: Int? = nil, taxRates: ClientTaxRates = .init(),
        constraints: ClientConstraints = .none, answers: QuestionnaireAnswers? = nil, goals: GoalSet? = nil
    ) {
        self.client = client
        self.spouse = spouse
        self.householdIncome = householdIncome
        self.filingStatus = filingStatus
        self.dependents = dependents
        self.retirementAge = retirementAge
        self.horizonYears = horizonYears
        self.taxRates = taxRates
        self.constraints = constraints
        self.answers = answers
        self.goals = goals
    }

    /// The planning horizon in years as of a calendar year: ``horizonYears`` when given,
    /// otherwise `retirementAge − age` (at least 0), otherwise `nil`.
    /// - Parameter year: The current calendar year.
    public func planningHorizon(asOfYear year: Int) -> Int? {
        if let horizonYears { return horizonYears }
        if let retirementAge { return max(0, retirementAge - (year - client.birthYear)) }
        return nil
    }

    /// The whole path from this client to a target allocation: score the answers with the
    /// questionnaire, pick the category's model, adjust it by the glide path for the planning
    /// horizon, apply the constraints, and attach the reasoning.
    /// - Parameters:
    ///   - questionnaire: The questionnaire the answers refer to (default ``Questionnaire/standard``).
    ///   - models: Model portfolios (default ``ModelPortfolios/standard``).
    ///   - assumptions: Capital market assumptions for the expected return and volatility of
    ///     the result (default ``CapitalMarketAssumptions/illustrative``); `nil` to skip.
    ///   - year: The current calendar year, for the horizon.
    ///   - yearsToGoal: Years to the goal date to use for the glide path instead of the horizon.
    /// - Returns: The target with its assessment and reasoning.
    /// - Throws: ``ClientTargetError`` (missing answers, questionnaire or model errors).
    /// - Complexity: O(*q* · *a* + *n*²) for the questionnaire and *n* asset classes.
    public func target(
        questionnaire: Questionnaire = .standard, models: ModelPortfolios = .standard,
        assumptions: CapitalMarketAssumptions? = .illustrative, asOfYear year: Int, yearsToGoal: Double? = nil
    ) throws(ClientTargetError) -> ClientTarget {
        guard let answers else { throw .noAnswers }
        let assessment: RiskAssessment
        do { assessment = try questionnaire.assess(answers) } catch { throw .riskTolerance(error) }
        let years = yearsToGoal ?? planningHorizon(asOfYear: year).map(Double.init)
        var t = try models.target(for: assessment.category, yearsToGoal: years, constraints: constraints, assumptions: assumptions)
        t.assessment = assessment
        t.reasoning.insert(
            "Risk score \(String(format: "%.1f", assessment.score)) of 100 (willingness \(String(format: "%.1f", assessment.willingness)), "
                + "capacity \(String(format: "%.1f", assessment.capacity))): \(assessment.category.displayName). \(assessment.explanation)",
            at: 0)
        return t
    }
}
