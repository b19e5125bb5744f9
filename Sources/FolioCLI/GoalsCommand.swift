import ArgumentParser
import Folio
import Foundation

/// `folio goals`: each goal's required return and probability of success.
struct GoalsCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "goals",
        abstract: "Goal analysis: required return and Monte Carlo probability of success for each goal.",
        discussion: """
        Reads the profile, its answers and goals. The portfolio is the model of the client's risk category (or --category) from --models (default: the bundled models), under the capital market assumptions of --assumptions (default: the bundled ILLUSTRATIVE assumptions); returns are lognormal with monthly steps, contributions and withdrawals included, seeded and reproducible.

        Example:
          folio goals --profile Examples/Data/households/retiree/profile.yaml \\
            --as-of 2025-12-31
        """)

    @Option(help: "Profile file (YAML or JSON) naming the answers and goals.")
    var profile: String

    @Option(help: "Risk category whose model portfolio to simulate (default: from the answers).")
    var category: String?

    @OptionGroup var planning: PlanningOptions

    @Option(parsing: .unconditional, help: "Number of simulated paths (default 10,000).")
    var paths: Int = 10_000

    @Option(parsing: .unconditional, help: "Random seed (default 2026).")
    var seed: UInt64 = 2026

    @Option(name: .customLong("as-of"), help: "Analysis date, YYYY-MM-DD (default today).")
    var asOf: String?

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard paths >= 100 else { throw ValidationError("--paths must be at least 100") }
        if let category, RiskCategory(rawValue: category) == nil {
            throw ValidationError("--category must be one of \(RiskCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let asOf, RebalanceCommand.parseDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
    }

    func run() throws {
        struct GoalRow: Encodable {
            var name, priority: String
            var targetAmountNominal: Double, months: Int
            var requiredAnnualReturn: Double?, probabilityOfSuccess: Double, p10, p50, p90: Double
        }
        struct Document: Encodable {
            var category: String, expectedReturn, volatility: Double, illustrativeAssumptions: Bool
            var goals: [GoalRow], warnings: [String]
        }
        let document: Document
        do {
            let files = try ClientReader.profile(contentsOf: URL(fileURLWithPath: profile))
            guard let goals = files.profile.goals else {
                throw DataFailure(lines: ["\(profile): names no goals file (goals: goals.yaml)"])
            }
            let chosen: RiskCategory
            if let category { chosen = RiskCategory(rawValue: category)! } else {
                guard let answers = files.profile.answers else {
                    throw DataFailure(lines: ["\(profile): names no answers file; give --category"])
                }
                chosen = try files.questionnaire.assess(answers).category
            }
            let (cma, models) = try planning.load()
            let stats = try cma.statistics(of: models.models[chosen]!)
            let model = try LognormalReturnModel(stats)
            let date = asOf.flatMap(RebalanceCommand.parseDate) ?? Date()
            let results = try goals.analyze(asOf: date, model: model, simulation: MonteCarloSimulation(paths: paths, seed: seed))
            document = Document(
                category: chosen.rawValue, expectedReturn: stats.expectedReturn, volatility: stats.volatility,
                illustrativeAssumptions: cma.isIllustrative,
                goals: zip(goals.goals, results).map { goal, a in
                    GoalRow(name: goal.name, priority: goal.priority.rawValue, targetAmountNominal: a.schedule.targetAmount,
                            months: a.schedule.months, requiredAnnualReturn: a.requiredReturn.annualReturn,
                            probabilityOfSuccess: a.simulation.probabilityOfSuccess,
                            p10: a.simulation.percentiles[0].finalBalance, p50: a.simulation.percentiles[1].finalBalance,
                            p90: a.simulation.percentiles[2].finalBalance)
                },
                warnings: Suitability().check(goals: results).map(\.message))
        } catch let failure as DataFailure {
            throw failure
        } catch {
            throw DataFailure(error)
        }
        switch formatOptions.format {
        case .json: emit(try jsonText(document))
        case .table, .csv:
            var out = "Model \(document.category): expected return \(percent(document.expectedReturn)), volatility \(percent(document.volatility))"
            out += document.illustrativeAssumptions ? " (ILLUSTRATIVE assumptions)\n\n" : "\n\n"
            var table = TextTable(columns: [.init("Goal"), .init("Priority"), .init("Needs", .right), .init("Success", .right),
                                            .init("p10", .right), .init("p50", .right), .init("p90", .right)])
            let money = { (x: Double) in ReportFormat.money(Decimal(string: String(format: "%.0f", x)) ?? 0) }
            for g in document.goals {
                table.append([g.name, g.priority, g.requiredAnnualReturn.map(percent) ?? "—", percent(g.probabilityOfSuccess),
                              money(g.p10), money(g.p50), money(g.p90)])
            }
            out += table.render()
            if !document.warnings.isEmpty { out += "\nWarnings:\n" + document.warnings.map { "  - \($0)\n" }.joined() }
            emit(out)
        }
    }
}
