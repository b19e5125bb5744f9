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

/// `folio profile`: risk score and category from questionnaire answers.
struct ProfileCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Score a client's questionnaire answers: willingness, capacity, risk score and category.",
        discussion: """
        Willingness and capacity are scored separately (0-100, weighted answer scores); the lower governs, and the explanation says which. Unanswered questions and unknown answers are errors naming the question. The questionnaire is the bundled default unless --questionnaire names another. The category's model portfolio follows, from --models (default: the bundled models), with its expected return and volatility under --assumptions (default: the bundled ILLUSTRATIVE assumptions) and whether that volatility lies in the category's band.

        JSON: the assessment (score, category, willingness, capacity, governing, explanation, ...) and model (category, weights, expectedReturn, volatility, volatilityInBand, illustrativeAssumptions).

        Example:
          folio profile --answers Examples/Data/households/retiree/answers.yaml
        """)

    @Option(help: "Answers file (YAML or JSON).")
    var answers: String

    @Option(help: "Questionnaire file (default: the bundled questionnaire).")
    var questionnaire: String?

    @OptionGroup var planning: PlanningOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let assessment: RiskAssessment, model: ModelSummary
        do {
            let given = try ClientReader.answers(contentsOf: URL(fileURLWithPath: answers))
            let q = try questionnaire.map { path throws(FileError) in try ClientReader.questionnaire(contentsOf: URL(fileURLWithPath: path)) } ?? .standard
            assessment = try q.assess(given)
            let (cma, models) = try planning.load()
            let target = try models.target(for: assessment.category, assumptions: cma)
            model = ModelSummary(category: assessment.category.rawValue, weights: target.weightsByAssetClass,
                                 expectedReturn: target.statistics?.expectedReturn, volatility: target.statistics?.volatility,
                                 volatilityInBand: target.volatilityInBand, illustrativeAssumptions: cma.isIllustrative)
        } catch {
            throw DataFailure(error)
        }
        switch formatOptions.format {
        case .json:
            struct Document: Encodable {
                var assessment: RiskAssessment, model: ModelSummary
                enum Key: String, CodingKey { case model }
                func encode(to encoder: any Encoder) throws {
                    try assessment.encode(to: encoder)  // the assessment's keys at the top level, as before
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(model, forKey: .model)
                }
            }
            emit(try jsonText(Document(assessment: assessment, model: model)))
        case .table, .csv:
            var out = String(format: "Risk score %.1f: %@\n", assessment.score, assessment.category.rawValue)
                + String(format: "  willingness %.1f (%@), capacity %.1f (%@); %@ governs\n", assessment.willingness,
                         assessment.willingnessCategory.rawValue, assessment.capacity, assessment.capacityCategory.rawValue,
                         assessment.governing.rawValue)
                + "  \(assessment.explanation)\n\nModel \(model.category)"
            if let r = model.expectedReturn, let v = model.volatility {
                out += ": expected return \(percent(r)), volatility \(percent(v))"
                out += model.volatilityInBand == false ? " (outside the category's band)" : ""
                out += model.illustrativeAssumptions ? " (ILLUSTRATIVE assumptions)" : ""
            }
            var table = TextTable(columns: [.init("Asset class"), .init("Weight", .right)])
            for (assetClass, weight) in model.weights.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { table.append([assetClass, percent(weight)]) }
            emit(out + "\n" + table.render())
        }
    }
}
