import Foundation
import FolioRebalancing

/// One asset-class mix per risk category, the annual-volatility band of each category, the
/// funds that implement each class, and a glide path: the content of `models.yaml`.
///
/// ``target(for:yearsToGoal:constraints:assumptions:)`` turns a category into a
/// ``ClientTarget``: the model mix, adjusted by the glide path for the years to the goal,
/// constrained by the client's exclusions and bounds, implemented by each class's fund, with
/// the reasoning attached.
public struct ModelPortfolios: Sendable, Hashable, Codable {
    /// An asset class a model may use, its group and the fund implementing it.
    public struct AssetClassInfo: Sendable, Hashable, Codable {
        /// The class id, e.g. `"us-large-cap"`.
        public var id: String
        /// A readable name.
        public var name: String
        /// Its group (the glide path moves weight between equity and the rest).
        public var group: AssetGroup
        /// The symbol that implements it; `"CASH"` means uninvested cash.
        public var fund: String
        /// Substitute symbols, in order of preference.
        public var alternates: [String]

        /// Creates a class description.
        /// - Parameters:
        ///   - id: Class id.
        ///   - name: Readable name.
        ///   - group: Group.
        ///   - fund: Implementing symbol.
        ///   - alternates: Substitutes.
        public init(id: String, name: String, group: AssetGroup, fund: String, alternates: [String] = []) {
            self.id = id
            self.name = name
            self.group = group
            self.fund = fund
            self.alternates = alternates
        }
    }

    /// The classes models may use, in display order.
    public var assetClasses: [AssetClassInfo]
    /// The annual-volatility band of each category.
    public var riskBands: [RiskCategory: VolatilityBand]
    /// The mix of each category: weight per class id, summing to 1.
    public var models: [RiskCategory: [String: Double]]
    /// The glide path applied when the years to a goal are known, or `nil`.
    public var glidePath: GlidePath?

    /// Creates a set of models.
    /// - Parameters:
    ///   - assetClasses: Classes and funds.
    ///   - riskBands: Volatility band per category.
    ///   - models: Mix per category.
    ///   - glidePath: Glide path.
    public init(
        assetClasses: [AssetClassInfo], riskBands: [RiskCategory: VolatilityBand],
        models: [RiskCategory: [String: Double]], glidePath: GlidePath?
    ) {
        self.assetClasses = assetClasses
        self.riskBands = riskBands
        self.models = models
        self.glidePath = glidePath
    }

    /// The group of each class.
    public var groups: [String: AssetGroup] {
        Dictionary(assetClasses.map { ($0.id, $0.group) }, uniquingKeysWith: { a, _ in a })
    }

    /// Checks the models: unique class ids, all five categories with a band and a mix, weights
    /// finite, non-negative, on listed classes and summing to 1 within 1e-6; a valid glide path.
    /// - Throws: ``ModelPortfolioError`` naming the category or class.
    /// - Complexity: O(*c* · *n*).
    public func validate() throws(ModelPortfolioError) {
        var ids = Set<String>()
        for a in assetClasses where !ids.insert(a.id).inserted { throw .duplicateAssetClass(a.id) }
        for c in RiskCategory.allCases {
            guard let band = riskBands[c] else { throw .missingBand(c) }
            if !(band.minimum.isFinite && band.maximum.isFinite && band.minimum >= 0 && band.minimum < band.maximum) {
                throw .invalidBand(c)
            }
            guard let mix = models[c] else { throw .missingModel(c) }
            var sum = 0.0
            for (k, w) in mix.sorted(by: { $0.key < $1.key }) {
                if !ids.contains(k) { throw .unknownAssetClass(category: c, assetClass: k) }
                if !(w.isFinite && w >= 0) { throw .invalidWeight(category: c, assetClass: k, weight: w) }
                sum += w
            }
            if abs(sum - 1) > 1e-6 { throw .weightsDoNotSumToOne(category: c, sum: sum) }
        }
        if let glidePath {
            do { try glidePath.validate() } catch { throw .glidePath(error) }
        }
    }

    /// The target for a risk category.
    ///
    /// Steps, each recorded in ``ClientTarget/reasoning``: (1) the category's model mix;
    /// (2) when `yearsToGoal` is given and there is a glide path, the path's rule (cap or
    /// replace) on the equity share; (3) excluded classes removed and their weight spread over
    /// the rest in proportion; (4) class bounds enforced by clipping and spreading the excess or
    /// shortfall in proportion over the classes still free (repeated until no bound is
    /// violated); (5) each class implemented by its fund, or by its first alternate that is not
    /// excluded; (6) the mix's expected return and volatility under `assumptions`, and whether the
    /// volatility lies in the category's band.
    /// - Parameters:
    ///   - category: The client's risk category.
    ///   - yearsToGoal: Years to the goal date, for the glide path; `nil` for none.
    ///   - constraints: Exclusions and bounds (default none).
    ///   - assumptions: Capital market assumptions for the statistics; `nil` to skip.
    /// - Returns: The target and its reasoning.
    /// - Throws: ``ClientTargetError`` when the models are invalid, the bounds are infeasible, a
    ///   class has no usable fund, or the assumptions do not cover a class.
    /// - Complexity: O(*n*²) for *n* classes.
    public func target(
        for category: RiskCategory, yearsToGoal: Double? = nil, constraints: ClientConstraints = .none,
        assumptions: CapitalMarketAssumptions? = nil
    ) throws(ClientTargetError) -> ClientTarget {
        do { try validate() } catch { throw .models(error) }
        var mix = models[category]!
        var reasoning: [String] = []
        let groups = self.groups
        let equityShare = { (m: [String: Double]) in m.reduce(0.0) { $0 + (groups[$1.key] == .equity ? $1.value : 0) } }
        reasoning.append("Model for \(category.displayName): equity share \(Self.pct(equityShare(mix))).")
        if let years = yearsToGoal, let glidePath {
            let adj = glidePath.apply(to: mix, groups: groups, yearsToGoal: years)
            let y = String(format: "%.1f", years)
            if adj.changed {
                mix = adj.weights
                reasoning.append(
                    "Glide path (\(glidePath.application.rawValue)) at \(y) years to the goal allows \(Self.pct(adj.glidePathShare)) "
                        + "equity: equity moved from \(Self.pct(adj.equityShareBefore)) to \(Self.pct(adj.equityShareAfter)).")
            } else {
                reasoning.append("Glide path at \(y) years to the goal allows \(Self.pct(adj.glidePathShare)) equity: model unchanged.")
            }
        }
        // Exclusions.
        let excluded = mix.keys.filter { constraints.excludedAssetClasses.contains($0) && mix[$0]! > 0 }.sorted()
        if !excluded.isEmpty {
            for k in excluded { mix[k] = 0 }
            let rest = mix.values.reduce(0, +)
            guard rest > 0 else { throw .infeasibleBounds(detail: "every class of the model is excluded") }
            for k in mix.keys { mix[k]! /= rest }
            reasoning.append("Excluded classes removed and their weight spread in proportion: \(excluded.joined(separator: ", ")).")
        }
        // Bounds.
        let bounds = constraints.assetClassBounds
        if !bounds.isEmpty {
            for (k, b) in bounds.sorted(by: { $0.key < $1.key }) {
                if !(b.lower >= 0 && b.upper <= 1 && b.lower <= b.upper) {
                    throw .infeasibleBounds(detail: "bounds of '\(k)' are not 0 <= min <= max <= 1")
                }
                if b.lower > 0 && mix[k] == nil {
                    guard groups[k] != nil else { throw .infeasibleBounds(detail: "bounded class '\(k)' is not a model class") }
                    mix[k] = 0
                }
            }
            let before = mix
            mix = try Self.enforce(bounds, on: mix, excluded: constraints.excludedAssetClasses)
            let changed = mix.keys.sorted().filter { abs(mix[$0]! - (before[$0] ?? 0)) > 1e-12 }
            if !changed.isEmpty {
                let list = changed.map { "\($0) \(Self.pct(before[$0] ?? 0)) -> \(Self.pct(mix[$0]!))" }
                reasoning.append("Class bounds applied: \(list.joined(separator: ", ")).")
            }
        }
        // Implementation.
        var sleeves: [TargetAllocation.Sleeve] = []
        var weights: [AssetClassWeight] = []
        for info in assetClasses {
            guard let w = mix[info.id], w > 1e-15 else { continue }
            let candidates = [info.fund] + info.alternates
            let usable = candidates.filter { !constraints.excludedSymbols.contains($0) }
            guard let primary = usable.first else { throw .noUsableFund(assetClass: info.id) }
            if primary != info.fund {
                reasoning.append("\(info.id): fund \(info.fund) is excluded; implemented by \(primary).")
            }
            sleeves.append(.init(assetClass: info.id, weight: w, primary: primary, alternates: Array(usable.dropFirst())))
            weights.append(AssetClassWeight(assetClass: info.id, weight: w))
        }
        var statistics: CapitalMarketAssumptions.PortfolioStatistics?
        var inBand: Bool?
        if let assumptions {
            do { statistics = try assumptions.statistics(of: mix) } catch { throw .assumptions(error) }
            let band = riskBands[category]!
            inBand = band.contains(statistics!.volatility)
            reasoning.append(
                "Expected return \(Self.pct(statistics!.expectedReturn)) and volatility \(Self.pct(statistics!.volatility)) "
                    + "under \(assumptions.isIllustrative ? "ILLUSTRATIVE " : "")assumptions '\(assumptions.name)'; the "
                    + "\(category.displayName) band is \(Self.pct(band.minimum))-\(Self.pct(band.maximum)): "
                    + (inBand! ? "inside." : "OUTSIDE."))
        }
        return ClientTarget(
            category: category, weights: weights, allocation: .assetClasses(sleeves), statistics: statistics,
            volatilityInBand: inBand, assessment: nil, reasoning: reasoning)
    }

    /// Clips weights to bounds, spreading the difference in proportion over unclipped classes.
    static func enforce(
        _ bounds: [String: WeightBounds], on mix: [String: Double], excluded: Set<String>
    ) throws(ClientTargetError) -> [String: Double] {
        var m = mix
        let keys = m.keys.sorted()
        let lo = Dictionary(uniqueKeysWithValues: keys.map { ($0, excluded.contains($0) ? 0 : (bounds[$0]?.lower ?? 0)) })
        let hi = Dictionary(uniqueKeysWithValues: keys.map { ($0, excluded.contains($0) ? 0 : (bounds[$0]?.upper ?? 1)) })
        if keys.reduce(0.0, { $0 + lo[$1]! }) > 1 + 1e-12 { throw .infeasibleBounds(detail: "minimum weights add up to more than 1") }
        if keys.reduce(0.0, { $0 + hi[$1]! }) < 1 - 1e-12 { throw .infeasibleBounds(detail: "maximum weights add up to less than 1") }
        var fixed = Set<String>()
        for _ in 0...keys.count {
            var violated = false
            for k in keys where !fixed.contains(k) {
                if m[k]! < lo[k]! - 1e-15 { m[k] = lo[k]!; fixed.insert(k); violated = true }
                else if m[k]! > hi[k]! + 1e-15 { m[k] = hi[k]!; fixed.insert(k); violated = true }
            }
            if !violated { break }
            let fixedSum = fixed.reduce(0.0) { $0 + m[$1]! }
            let free = keys.filter { !fixed.contains($0) }
            let freeSum = free.reduce(0.0) { $0 + m[$1]! }
            let need = 1 - fixedSum
            if free.isEmpty {
                if abs(need) > 1e-9 { throw .infeasibleBounds(detail: "bounds leave no class free to absorb \(need)") }
                break
            }
            if freeSum > 0 {
                for k in free { m[k]! *= need / freeSum }
            } else {
                // Spread over free classes in proportion to their headroom.
                let room = free.map { need >= 0 ? hi[$0]! - m[$0]! : m[$0]! - lo[$0]! }
                let total = room.reduce(0, +)
                guard total > 0 else { throw .infeasibleBounds(detail: "no room to place \(need)") }
                for (k, r) in zip(free, room) { m[k]! += need * r / total }
            }
        }
        return m
    }

    static func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}

/// The annual-volatility band `[minimum, maximum)` of a risk category.
public struct VolatilityBand: Sendable, Hashable, Codable {
    /// Lower end (fraction, inclusive).
    public var minimum: Double
    /// Upper end (fraction, exclusive).
    public var maximum: Double

    /// Creates a band.
    /// - Parameters:
    ///   - minimum: Lower end (inclusive).
    ///   - maximum: Upper end (exclusive).
    public init(minimum: Double, maximum: Double) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether a volatility lies in `[minimum, maximum)`.
    /// - Parameter volatility: Annual volatility (fraction).
    public func contains(_ volatility: Double) -> Bool { volatility >= minimum && volatility < maximum }

    /// The middle of the band.
    public var midpoint: Double { (minimum + maximum) / 2 }
}

/// One asset class and its weight.
public struct AssetClassWeight: Sendable, Hashable, Codable {
    /// The class id.
    public var assetClass: String
    /// Weight (fraction).
    public var weight: Double

    /// Creates a class weight.
    /// - Parameters:
    ///   - assetClass: Class id.
    ///   - weight: Weight (fraction).
    public init(assetClass: String, weight: Double) {
        self.assetClass = assetClass
        self.weight = weight
    }
}

/// A target allocation derived for a client, with the reasoning an advisor reviews.
public struct ClientTarget: Sendable, Hashable, Codable {
    /// The risk category it was built for.
    public var category: RiskCategory
    /// The asset-class weights, in the models' class order, summing to 1.
    public var weights: [AssetClassWeight]
    /// The allocation for the rebalancer (asset-class form, funds as primaries).
    public var allocation: TargetAllocation
    /// Expected return and volatility under the assumptions used, if any.
    public var statistics: CapitalMarketAssumptions.PortfolioStatistics?
    /// Whether the volatility lies in the category's band, when statistics are known.
    public var volatilityInBand: Bool?
    /// The risk assessment, when the target was built from questionnaire answers.
    public var assessment: RiskAssessment?
    /// One sentence per decision, in order.
    public var reasoning: [String]

    /// Creates a client target.
    /// - Parameters:
    ///   - category: Risk category.
    ///   - weights: Class weights.
    ///   - allocation: The allocation.
    ///   - statistics: Expected return and volatility.
    ///   - volatilityInBand: Whether the volatility is in band.
    ///   - assessment: Risk assessment.
    ///   - reasoning: The reasoning.
    public init(
        category: RiskCategory, weights: [AssetClassWeight], allocation: TargetAllocation,
        statistics: CapitalMarketAssumptions.PortfolioStatistics?, volatilityInBand: Bool?,
        assessment: RiskAssessment?, reasoning: [String]
    ) {
        self.category = category
        self.weights = weights
        self.allocation = allocation
        self.statistics = statistics
        self.volatilityInBand = volatilityInBand
        self.assessment = assessment
        self.reasoning = reasoning
    }

    /// The weights as a dictionary by class id.
    public var weightsByAssetClass: [String: Double] {
        Dictionary(weights.map { ($0.assetClass, $0.weight) }, uniquingKeysWith: +)
    }
}

/// Malformed model portfolios.
public enum ModelPortfolioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A class id appears twice.
    case duplicateAssetClass(String)
    /// A category has no volatility band.
    case missingBand(RiskCategory)
    /// A band is not `0 <= min < max`.
    case invalidBand(RiskCategory)
    /// A category has no model.
    case missingModel(RiskCategory)
    /// A model weights a class not listed in the asset classes.
    case unknownAssetClass(category: RiskCategory, assetClass: String)
    /// A weight is negative or not finite.
    case invalidWeight(category: RiskCategory, assetClass: String, weight: Double)
    /// A model's weights do not sum to 1 within 1e-6.
    case weightsDoNotSumToOne(category: RiskCategory, sum: Double)
    /// The glide path is malformed.
    case glidePath(GlidePathError)

    /// A readable description naming the category or class.
    public var description: String {
        switch self {
        case .duplicateAssetClass(let id): "asset class '\(id)' listed twice"
        case .missingBand(let c): "no volatility band for \(c.rawValue)"
        case .invalidBand(let c): "volatility band of \(c.rawValue) must satisfy 0 <= min < max"
        case .missingModel(let c): "no model for \(c.rawValue)"
        case .unknownAssetClass(let c, let a): "model \(c.rawValue) weights unknown asset class '\(a)'"
        case .invalidWeight(let c, let a, let w): "model \(c.rawValue): weight \(w) of '\(a)' is invalid"
        case .weightsDoNotSumToOne(let c, let s): "model \(c.rawValue): weights sum to \(s), not 1"
        case .glidePath(let e): e.description
        }
    }
}

/// Why a target could not be built for a client.
public enum ClientTargetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The profile has no questionnaire answers.
    case noAnswers
    /// Scoring the answers failed.
    case riskTolerance(RiskToleranceError)
    /// The model portfolios are malformed.
    case models(ModelPortfolioError)
    /// The assumptions do not cover a class of the target.
    case assumptions(CapitalMarketAssumptionsError)
    /// The client's class bounds cannot all hold.
    case infeasibleBounds(detail: String)
    /// Every fund of a class is excluded.
    case noUsableFund(assetClass: String)
    /// No portfolio offered has a volatility in the category's band (optimizer targets).
    case noPortfolioInBand(category: RiskCategory, detail: String)

    /// A readable description.
    public var description: String {
        switch self {
        case .noAnswers: "the client has no questionnaire answers"
        case .riskTolerance(let e): e.description
        case .models(let e): e.description
        case .assumptions(let e): e.description
        case .infeasibleBounds(let d): "asset-class bounds are infeasible: \(d)"
        case .noUsableFund(let a): "every fund of asset class '\(a)' is excluded"
        case .noPortfolioInBand(let c, let d): "no portfolio in the \(c.rawValue) volatility band: \(d)"
        }
    }
}

/// Anything that turns a risk category and a client's constraints into a ``ClientTarget``:
/// the bundled model portfolios (``ModelPortfolios``), or an optimizer-driven source that the
/// umbrella module `Folio` provides (`OptimizedTarget`: the efficient-frontier portfolio in the
/// category's volatility band). `FolioRebalancing` never imports the optimizers; it receives
/// such a value.
public protocol RiskBandTargetProvider: Sendable {
    /// The target for a category under a client's constraints.
    /// - Parameters:
    ///   - category: The client's risk category.
    ///   - constraints: Exclusions and bounds.
    /// - Returns: The target with its reasoning.
    /// - Throws: ``ClientTargetError``.
    func target(for category: RiskCategory, constraints: ClientConstraints) throws(ClientTargetError) -> ClientTarget
}

extension ModelPortfolios: RiskBandTargetProvider {
    /// The category's model under the constraints, without a glide path, with statistics under
    /// ``CapitalMarketAssumptions/illustrative`` (see ``target(for:yearsToGoal:constraints:assumptions:)``).
    /// - Parameters:
    ///   - category: The client's risk category.
    ///   - constraints: Exclusions and bounds.
    /// - Returns: The target with its reasoning.
    /// - Throws: ``ClientTargetError``.
    public func target(for category: RiskCategory, constraints: ClientConstraints) throws(ClientTargetError) -> ClientTarget {
        try target(for: category, yearsToGoal: nil, constraints: constraints, assumptions: .illustrative)
    }
}

extension ClientProfile {
    /// The client's target from any provider (for instance the umbrella's `OptimizedTarget`):
    /// score the answers, then ask the provider for the category under the client's constraints.
    /// - Parameters:
    ///   - provider: Where targets come from.
    ///   - questionnaire: The questionnaire (default ``Questionnaire/standard``).
    /// - Returns: The target with the assessment and reasoning attached.
    /// - Throws: ``ClientTargetError``.
    /// - Complexity: O(*q* · *a*) plus the provider's cost.
    public func target(
        from provider: some RiskBandTargetProvider, questionnaire: Questionnaire = .standard
    ) throws(ClientTargetError) -> ClientTarget {
        guard let answers else { throw .noAnswers }
        let assessment: RiskAssessment
        do { assessment = try questionnaire.assess(answers) } catch { throw .riskTolerance(error) }
        var t = try provider.target(for: assessment.category, constraints: constraints)
        t.assessment = assessment
        t.reasoning.insert("Risk score \(String(format: "%.1f", assessment.score)) of 100: \(assessment.category.displayName). \(assessment.explanation)", at: 0)
        return t
    }
}
