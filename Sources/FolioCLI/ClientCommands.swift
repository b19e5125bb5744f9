import ArgumentParser
import Folio
import Foundation

/// The planning files: capital market assumptions and model portfolios, the bundled ones by
/// default (profile, goals).
struct PlanningOptions: ParsableArguments {
    @Option(help: "Capital market assumptions file (YAML or JSON; default: the bundled ILLUSTRATIVE assumptions, Examples/Data/capital-market-assumptions.yaml).")
    var assumptions: String?

    @Option(help: "Model portfolios file (YAML or JSON; default: the bundled models, Examples/Data/models.yaml).")
    var models: String?

    /// The assumptions and models, read and checked against each other: every class a model
    /// weights must have assumptions.
    func load() throws(InputError) -> (assumptions: CapitalMarketAssumptions, models: ModelPortfolios) {
        let cma: CapitalMarketAssumptions, portfolios: ModelPortfolios
        do {
            cma = try assumptions.map { path throws(FileError) in try PlanningReader.capitalMarketAssumptions(contentsOf: URL(fileURLWithPath: path)) } ?? .illustrative
            portfolios = try models.map { path throws(FileError) in try PlanningReader.models(contentsOf: URL(fileURLWithPath: path)) } ?? .standard
        } catch {
            throw .file(error)
        }
        for (category, mix) in portfolios.models.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for assetClass in mix.keys.sorted() where cma.index(of: assetClass) == nil {
                throw .inconsistent(file: models ?? "the bundled models",
                                    message: "model \(category.rawValue) weights asset class '\(assetClass)', which \(assumptions ?? "the bundled assumptions") do not list")
            }
        }
        return (cma, portfolios)
    }
}

/// The model portfolio of a risk category, as `folio profile` prints it.
struct ModelSummary: Encodable {
    var category: String
    var weights: [String: Double]
    var expectedReturn: Double?
    var volatility: Double?
    var volatilityInBand: Bool?
    var illustrativeAssumptions: Bool
}

/// `folio profile`: risk score and category from questionnaire answers, the answers' breakdown,
/// inconsistency flags and the short-horizon cap; optionally the category's model as a targets file.
struct ProfileCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Score a client's questionnaire answers: willingness, capacity, risk score and category.",
        discussion: """
        Willingness and capacity are scored separately (0-100, weighted answer scores); the lower governs, and the explanation says which. Unanswered questions and unknown answers are errors naming the question. The questionnaire is the bundled default unless --questionnaire names another.

        Each answer is listed with its points and the score it feeds. Answers an advisor should question are flagged, with the questions involved: willingness and capacity 40 points or more apart, willingness answers at both extremes, and contradicting pairs (no experience with the most risky answer; relying on the portfolio for income yet withdrawing nothing; withdrawals within three years yet none planned; selling everything in a decline yet choosing the widest range). Money needed within three years caps the category at moderately conservative, and the output says so and why.

        The category's model portfolio follows, from --models (default: the bundled models), with its expected return and volatility under --assumptions (default: the bundled ILLUSTRATIVE assumptions) and whether that volatility lies in the category's band. --write-targets FILE writes that model as a targets file folio rebalance reads.

        JSON: the assessment (score, category, willingness, capacity, governing, explanation, ...), finalCategory (after the cap), breakdown (questionID, question, answerID, answer, points, maximumPoints, weight, dimension, contribution), flags (kind, rule, questions, message), horizonCap (trigger, years, cap, scoredCategory, applied, message) and model (category, weights, expectedReturn, volatility, volatilityInBand, illustrativeAssumptions).

        Examples:
          folio profile --answers Examples/Data/households/retiree/answers.yaml
          folio profile --answers Examples/Data/households/retiree/answers.yaml \\
            --write-targets retiree-targets.yaml
        """)

    @Option(help: "Answers file (YAML or JSON).")
    var answers: String

    @Option(help: "Questionnaire file (default: the bundled questionnaire).")
    var questionnaire: String?

    @Option(name: .customLong("write-targets"), help: "Write the category's model portfolio to this targets file (YAML, asset-class form) for folio rebalance.")
    var writeTargets: String?

    @OptionGroup var planning: PlanningOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let review: ProfileReview, model: ModelSummary, target: ClientTarget
        do {
            let given = try ClientReader.answers(contentsOf: URL(fileURLWithPath: answers))
            let q = try questionnaire.map { path throws(FileError) in try ClientReader.questionnaire(contentsOf: URL(fileURLWithPath: path)) } ?? .standard
            review = try ProfileReview(given, questionnaire: q)
            let (cma, models) = try planning.load()
            target = try models.target(for: review.category, assumptions: cma)
            model = ModelSummary(category: review.category.rawValue, weights: target.weightsByAssetClass,
                                 expectedReturn: target.statistics?.expectedReturn, volatility: target.statistics?.volatility,
                                 volatilityInBand: target.volatilityInBand, illustrativeAssumptions: cma.isIllustrative)
            if let writeTargets {
                try TargetsWriter.write(target.allocation, to: URL(fileURLWithPath: writeTargets), comment: [
                    "Model portfolio '\(review.category.rawValue)' written by folio profile from \(answers).",
                    "Asset-class form: weight per class, the fund implementing it (primary) and alternates.",
                ])
            }
        } catch {
            throw DataFailure(error)
        }
        switch formatOptions.format {
        case .json:
            struct Document: Encodable {
                var review: ProfileReview, model: ModelSummary
                enum Key: String, CodingKey { case finalCategory, breakdown, flags, horizonCap, model }
                func encode(to encoder: any Encoder) throws {
                    try review.assessment.encode(to: encoder)  // the assessment's keys at the top level, as before
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(review.category, forKey: .finalCategory)
                    try container.encode(review.breakdown, forKey: .breakdown)
                    try container.encode(review.flags, forKey: .flags)
                    try container.encodeIfPresent(review.horizonCap, forKey: .horizonCap)
                    try container.encode(model, forKey: .model)
                }
            }
            emit(try jsonText(Document(review: review, model: model)))
        case .table, .csv:
            emit(Self.text(review, model: model))
        }
    }

    /// The table output: score, breakdown, flags, cap and model.
    static func text(_ review: ProfileReview, model: ModelSummary) -> String {
        let assessment = review.assessment
        var out = String(format: "Risk score %.1f: %@\n", assessment.score, assessment.category.rawValue)
            + String(format: "  willingness %.1f (%@), capacity %.1f (%@); %@ governs\n", assessment.willingness,
                     assessment.willingnessCategory.rawValue, assessment.capacity, assessment.capacityCategory.rawValue,
                     assessment.governing.rawValue)
            + "  \(assessment.explanation)\n"
        if let cap = review.horizonCap { out += "  \(cap.message)\n" }
        var answers = TextTable(columns: [.init("Question"), .init("Answer"), .init("Points", .right), .init("Weight", .right),
                                          .init("Feeds"), .init("Adds", .right)])
        for row in review.breakdown {
            answers.append([row.questionID, "\(row.answerID): \(row.answer)", String(format: "%g of %g", row.points, row.maximumPoints),
                            String(format: "%g", row.weight), row.dimension.rawValue, String(format: "%.1f", row.contribution)])
        }
        out += "\n" + answers.render()
        if review.flags.isEmpty {
            out += "\nNo inconsistent answers flagged.\n"
        } else {
            out += "\nFlags (\(review.flags.count)):\n"
            for flag in review.flags { out += "  - [\(flag.questions.joined(separator: ", "))] \(flag.message)\n" }
        }
        out += "\nModel \(model.category)"
        if let r = model.expectedReturn, let v = model.volatility {
            out += ": expected return \(percent(r)), volatility \(percent(v))"
            out += model.volatilityInBand == false ? " (outside the category's band)" : ""
            out += model.illustrativeAssumptions ? " (ILLUSTRATIVE assumptions)" : ""
        }
        var table = TextTable(columns: [.init("Asset class"), .init("Weight", .right)])
        for (assetClass, weight) in model.weights.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { table.append([assetClass, percent(weight)]) }
        return out + "\n" + table.render()
    }
}
