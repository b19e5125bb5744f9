// ClientRiskProfile: from a client's questionnaire answers to a target allocation.
// answers -> willingness and capacity scores -> risk category -> model portfolio -> glide path
// -> constraints -> TargetAllocation, with the reasoning an advisor reviews.
//
// The client is the sample household 'couple' (Examples/Data/households/couple): its answers,
// horizon and constraints are written out below as values (this example depends only on
// FolioRebalancing, which reads no files). Capital market assumptions are ILLUSTRATIVE.
//
//     swift run ClientRiskProfile
import Foundation
import FolioPlanning
import FolioRebalancing

func pct(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }

let questionnaire = Questionnaire.standard
let answers = QuestionnaireAnswers([
    "reaction-to-decline": "c", "range-of-outcomes": "c", "describe-yourself": "c", "coin-flip": "b",
    "checking-habit": "c", "investing-experience": "d", "time-until-withdrawals": "d", "income-security": "c",
    "emergency-savings": "d", "annual-withdrawal-rate": "d",
], questionnaireID: "folio-default")

print("Questionnaire '\(questionnaire.title)'")
for q in questionnaire.questions {
    let a = q.answer(answers.answers[q.id]!)!
    print("  [\(q.dimension.rawValue.prefix(4)) x\(Int(q.weight))] \(q.id): \(a.id) (score \(Int(a.score))) \(a.text)")
}

let profile = ClientProfile(
    client: .init(name: "Dana Whitcombe-Ferris", birthYear: 1972),
    spouse: .init(name: "Chris Whitcombe-Ferris", birthYear: 1974),
    householdIncome: 285_000, filingStatus: .marriedJoint, dependents: 2, retirementAge: 63,
    horizonYears: 30,
    constraints: ClientConstraints(
        excludedSymbols: ["TOYBX"],
        assetClassBounds: ["emerging-markets": .init(maximum: 0.08), "us-aggregate-bond": .init(minimum: 0.15)],
        maxSecurityWeight: 0.40),
    answers: answers)

do {
    let assessment = try questionnaire.assess(answers)
    print("\nWillingness \(String(format: "%.1f", assessment.willingness)) (\(assessment.willingnessCategory.displayName)), "
        + "capacity \(String(format: "%.1f", assessment.capacity)) (\(assessment.capacityCategory.displayName))")
    print(assessment.explanation)

    // Two horizons: the household's 30-year plan, and a goal 8 years out (the glide path binds).
    for years in [30.0, 8.0] {
        let target = try profile.target(asOfYear: 2025, yearsToGoal: years)
        print("\nTarget for \(Int(years)) years to the goal (\(target.category.displayName)):")
        for s in target.allocation.sleeves {
            let alt = s.alternates.isEmpty ? "" : "  alternates \(s.alternates.joined(separator: ", "))"
            print("  \(s.assetClass.padding(toLength: 18, withPad: " ", startingAt: 0)) \(pct(s.weight))  \(s.primary)\(alt)")
        }
        print("  Reasoning:")
        for r in target.reasoning { print("   - \(r)") }
    }
    // A suitability check of the current mix (the couple's targets.yaml) against the category.
    let current: [String: Double] = [
        "us-large-cap": 0.33, "us-small-cap": 0.07, "intl-developed": 0.14, "emerging-markets": 0.06,
        "us-aggregate-bond": 0.20, "tips": 0.05, "high-yield": 0.03, "reits": 0.05, "gold": 0.03, "cash": 0.04,
    ]
    let stats = try CapitalMarketAssumptions.illustrative.statistics(of: current)
    let warnings = Suitability().check(
        volatility: stats.volatility, category: assessment.category, band: ModelPortfolios.standard.riskBands[assessment.category]!)
    print("\nCurrent mix: expected return \(pct(stats.expectedReturn)), volatility \(pct(stats.volatility)) (ILLUSTRATIVE assumptions)")
    print(warnings.isEmpty ? "Suitability: within the \(assessment.category.displayName) band." : warnings.map(\.message).joined(separator: "\n"))
} catch {
    print("error: \(error)")
    exit(1)
}
