import Foundation
import FolioRebalancing

/// How far a target may stray from a risk category's model and still fit the category.
public struct FitLimits: Sendable, Hashable, Codable {
    /// The most a class's weight may differ from the model's weight (fraction; default 0.10,
    /// ten percentage points either way).
    public var classTolerance: Double
    /// The most the equity share may exceed the model's equity share (fraction; default 0.05).
    public var equityTolerance: Double

    /// Creates limits.
    /// - Parameters:
    ///   - classTolerance: Largest difference from the model's weight per class (fraction).
    ///   - equityTolerance: Largest excess of equity share over the model's (fraction).
    public init(classTolerance: Double = 0.10, equityTolerance: Double = 0.05) {
        self.classTolerance = classTolerance
        self.equityTolerance = equityTolerance
    }
}

/// One limit a target breaks.
public struct FitBreach: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What is limited.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A class above its upper limit.
        case classAboveLimit
        /// A class below its lower limit.
        case classBelowLimit
        /// The equity share above the category's.
        case equityAboveLimit
        /// The volatility (under the assumptions) at or above the category's band.
        case volatilityAboveBand
    }

    /// The kind.
    public var kind: Kind
    /// The class id, `"equity"`, or `"portfolio"`.
    public var subject: String
    /// The target's value (fraction).
    public var value: Double
    /// The limit crossed (fraction).
    public var limit: Double
    /// By how much: `value − limit` (positive above an upper limit, negative below a lower one).
    public var excess: Double
    /// A sentence for the advisor.
    public var message: String

    /// The message.
    public var description: String { message }
}

/// Whether a target fits a client's risk category: each class within ``FitLimits`` of the
/// category's model weight, the equity share not above the model's by more than its
/// tolerance, and, when assumptions are given, the volatility below the category's band top.
///
/// This is the measurable part of suitability (FINRA Rule 2111: a recommendation must fit the
/// customer's risk tolerance); it informs the advisor, who decides.
public struct TargetFit: Sendable, Hashable, Codable {
    /// The category checked against.
    public var category: RiskCategory
    /// The target's weight per class id (securities mapped to the class whose fund or alternate they are).
    public var classWeights: [String: Double]
    /// The target's equity share.
    public var equityShare: Double
    /// The model's equity share.
    public var modelEquityShare: Double
    /// The target's volatility under the assumptions, when given.
    public var volatility: Double?
    /// The category's volatility band.
    public var band: VolatilityBand
    /// The limits broken, classes in the models' order, then equity, then volatility.
    public var breaches: [FitBreach]
    /// Notes that do not break the fit (e.g. volatility below the band).
    public var notes: [String]

    /// Whether the target fits: no breach.
    public var fits: Bool { breaches.isEmpty }

    /// Checks a target against a category's model.
    /// - Parameters:
    ///   - target: The target (asset-class or security form); class ids and symbols are compared
    ///     after Unicode NFC, symbols case-insensitively.
    ///   - category: The client's category.
    ///   - models: The model portfolios (their classes, funds, groups, mixes and bands).
    ///   - assumptions: Capital market assumptions for the volatility, or `nil` to skip it.
    ///   - limits: The tolerances.
    /// - Throws: ``TargetFitError`` for a class the models do not list, a symbol no class
    ///   implements, invalid models or assumptions that do not cover a class.
    /// - Complexity: O(*n* · *c*) for *n* target entries and *c* classes, plus the covariance product.
    public init(
        _ target: TargetAllocation, category: RiskCategory, models: ModelPortfolios,
        assumptions: CapitalMarketAssumptions? = nil, limits: FitLimits = FitLimits()
    ) throws(TargetFitError) {
        do { try models.validate() } catch { throw .models(error) }
        let nfc = { (s: String) in s.precomposedStringWithCanonicalMapping }
        let classID = Dictionary(models.assetClasses.map { (nfc($0.id), $0.id) }, uniquingKeysWith: { a, _ in a })
        var weights: [String: Double] = [:]
        var unknown: [TargetFitError.Unknown] = []
        if target.sleeves.isEmpty {
            for w in target.securityWeights {
                let symbol = nfc(w.symbol.uppercased())
                guard let info = models.assetClasses.first(where: { nfc($0.fund.uppercased()) == symbol })
                    ?? models.assetClasses.first(where: { $0.alternates.contains { nfc($0.uppercased()) == symbol } })
                else { unknown.append(.symbol(w.symbol)); continue }
                weights[info.id, default: 0] += w.weight
            }
        } else {
            for s in target.sleeves {
                guard let id = classID[nfc(s.assetClass)] else { unknown.append(.assetClass(s.assetClass)); continue }
                weights[id, default: 0] += s.weight
            }
        }
        if !unknown.isEmpty { throw .unknown(unknown, known: models.assetClasses.map(\.id)) }
        let model = models.models[category]!
        let groups = models.groups
        func equity(_ m: [String: Double]) -> Double { m.reduce(0.0) { $0 + (groups[$1.key] == .equity ? $1.value : 0) } }
        self.category = category
        classWeights = weights
        equityShare = equity(weights)
        modelEquityShare = equity(model)
        band = models.riskBands[category]!
        let pct = ModelPortfolios.pct
        var breaches: [FitBreach] = []
        let tolerance = 1e-9
        for info in models.assetClasses {
            let w = weights[info.id] ?? 0, m = model[info.id] ?? 0
            let upper = min(1, m + limits.classTolerance), lower = max(0, m - limits.classTolerance)
            if w > upper + tolerance {
                breaches.append(FitBreach(
                    kind: .classAboveLimit, subject: info.id, value: w, limit: upper, excess: w - upper,
                    message: "\(info.id) is \(pct(w)), above the \(category.displayName) limit of \(pct(upper)) (model \(pct(m))) by \(pct(w - upper))."))
            } else if w < lower - tolerance {
                breaches.append(FitBreach(
                    kind: .classBelowLimit, subject: info.id, value: w, limit: lower, excess: w - lower,
                    message: "\(info.id) is \(pct(w)), below the \(category.displayName) limit of \(pct(lower)) (model \(pct(m))) by \(pct(lower - w))."))
            }
        }
        let equityLimit = min(1, modelEquityShare + limits.equityTolerance)
        if equityShare > equityLimit + tolerance {
            breaches.append(FitBreach(
                kind: .equityAboveLimit, subject: "equity", value: equityShare, limit: equityLimit, excess: equityShare - equityLimit,
                message: "Equity is \(pct(equityShare)) of the target, above the \(category.displayName) limit of \(pct(equityLimit)) "
                    + "(model \(pct(modelEquityShare))) by \(pct(equityShare - equityLimit)): more risk than the client can bear."))
        }
        var notes: [String] = []
        if let assumptions {
            let v: Double
            do { v = try assumptions.statistics(of: weights).volatility } catch { throw .assumptions(error) }
            volatility = v
            for warning in Suitability().check(volatility: v, category: category, band: band) {
                if warning.kind == .volatilityAboveBand {
                    breaches.append(FitBreach(kind: .volatilityAboveBand, subject: "portfolio", value: v, limit: band.maximum,
                                              excess: v - band.maximum, message: warning.message))
                } else {
                    notes.append(warning.message)
                }
            }
        } else {
            volatility = nil
        }
        self.breaches = breaches
        self.notes = notes
    }
}

/// Why a target cannot be checked against the models.
public enum TargetFitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An entry of the target the models do not know.
    public enum Unknown: Sendable, Hashable {
        /// An asset class id not among the models' classes.
        case assetClass(String)
        /// A symbol that is no class's fund or alternate.
        case symbol(String)
    }

    /// Entries the models do not know; `known` lists the models' class ids.
    case unknown([Unknown], known: [String])
    /// The models are invalid.
    case models(ModelPortfolioError)
    /// The assumptions do not cover a class of the target.
    case assumptions(CapitalMarketAssumptionsError)

    /// A readable description naming the class or symbol.
    public var description: String {
        switch self {
        case .unknown(let entries, let known):
            return entries.map { entry in
                switch entry {
                case .assetClass(let c): "asset class '\(c)' is not a class of the models (\(known.joined(separator: ", ")))"
                case .symbol(let s): "symbol '\(s)' is no model class's fund or alternate"
                }
            }.joined(separator: "\n")
        case .models(let e): return "models: \(e)"
        case .assumptions(let e): return "assumptions: \(e)"
        }
    }
}
