import ArgumentParser
import Folio
import Foundation

/// The law of returns `folio goals` draws from.
enum GoalReturnModelName: String, ExpressibleByArgument, CaseIterable {
    case lognormal
    case studentT = "student-t"
    case bootstrap
}

/// `folio goals`: each goal's chance of success along the glide path, what would reach it, and
/// the goals together.
struct GoalsCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "goals",
        abstract: "Goal analysis: each goal's chance of success, what would reach the chance asked for, and the goals together.",
        discussion: """
        Reads the profile, its answers and goals. Each goal is simulated month by month on its own money and flows; each year the portfolio is the model of the client's risk category (or --category) from --models (default: the bundled models), adjusted by the models' glide path for the years left to that goal, under the capital market assumptions of --assumptions (default: the bundled ILLUSTRATIVE assumptions). Returns are lognormal, fat-tailed Student-t (--return-model student-t, --degrees-of-freedom) or resampled from a price history in blocks (--return-model bootstrap --history prices.csv, columns mapped to asset classes by the models' funds). Seeded and reproducible.

        A goal below the probability it asks for (required_probability; default 80% for a need, 70% for a want, 60% for a wish) gets what would reach it: the extra yearly saving, the later date, the smaller target, or the riskier model, each found by root finding on the simulated probability with the same draws. The goals are also simulated together against one pool in priority order ("Together"). When the household's holdings (--holdings, default holdings.csv next to the profile) are worth less than the money the goals earmark, a warning says so.

        Example:
          folio goals --profile Examples/Data/households/couple/profile.yaml \\
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

    @Option(name: .customLong("return-model"), help: "Law of returns: lognormal (default), student-t or bootstrap.")
    var returnModel: GoalReturnModelName = .lognormal

    @Option(name: .customLong("degrees-of-freedom"), parsing: .unconditional, help: "Student-t degrees of freedom, above 2 (default 5).")
    var degreesOfFreedom: Double = 5

    @Option(help: "Prices file (CSV, date and one column per fund or asset class) for --return-model bootstrap, e.g. Examples/Data/prices.csv.")
    var history: String?

    @Option(name: .customLong("block-months"), parsing: .unconditional, help: "Bootstrap block length in months (default 12).")
    var blockMonths: Int = 12

    @Option(help: "Holdings file whose value the goals' set-asides are checked against (default: holdings.csv next to the profile, when there is one).")
    var holdings: String?

    @Flag(name: .customLong("no-glide-path"), help: "Hold the category's model mix instead of following the glide path.")
    var noGlidePath = false

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard paths >= 100 else { throw ValidationError("--paths must be at least 100") }
        if let category, RiskCategory(rawValue: category) == nil {
            throw ValidationError("--category must be one of \(RiskCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let asOf, RebalanceCommand.parseDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
        guard degreesOfFreedom.isFinite, degreesOfFreedom > 2 else { throw ValidationError("--degrees-of-freedom must be above 2") }
        guard blockMonths >= 1 else { throw ValidationError("--block-months must be at least 1") }
        if returnModel == .bootstrap, history == nil {
            throw ValidationError("--return-model bootstrap needs --history, a prices file such as Examples/Data/prices.csv")
        }
    }

    func run() throws {
        let document: GoalsDocument
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
            let law: GoalReturnModel
            switch returnModel {
            case .lognormal: law = .lognormal
            case .studentT: law = .studentT(degreesOfFreedom: degreesOfFreedom)
            case .bootstrap: law = .bootstrap(try Self.history(history!, models: models), blockMonths: blockMonths)
            }
            let planner = try GoalPlanner(assumptions: cma, models: models, category: chosen, returnModel: law,
                                          paths: paths, seed: seed, followsGlidePath: !noGlidePath)
            let date = asOf.flatMap(RebalanceCommand.parseDate) ?? Date()
            let outlook = try planner.outlook(goals, asOf: date, assets: try assets(nextTo: profile, asOf: date))
            let stats = try cma.statistics(of: models.models[chosen]!)
            document = GoalsDocument(
                category: chosen.rawValue, returnModel: law.label, glidePath: !noGlidePath && models.glidePath != nil,
                expectedReturn: stats.expectedReturn, volatility: stats.volatility, illustrativeAssumptions: cma.isIllustrative,
                paths: paths, seed: seed, goals: goals.goals, outlook: outlook)
        } catch let failure as DataFailure {
            throw failure
        } catch {
            throw DataFailure(error)
        }
        switch formatOptions.format {
        case .json: emit(try jsonText(document))
        case .table, .csv: emit(document.table())
        }
    }

    /// The household's holdings value: cash plus quantity times the file's price.
    private func assets(nextTo profile: String, asOf: Date) throws -> Double? {
        let url: URL
        if let holdings { url = URL(fileURLWithPath: holdings) } else {
            url = URL(fileURLWithPath: profile).deletingLastPathComponent().appendingPathComponent("holdings.csv")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        }
        let h = try HoldingsReader.read(contentsOf: url)
        var total: Decimal = 0
        for a in h.accounts {
            total += a.cash
            for p in a.positions { total += p.quantity * (h.prices[p.symbol] ?? 0) }
        }
        return NSDecimalNumber(decimal: total).doubleValue
    }

    /// A price history mapped to the models' classes: a column named by the class id, else by
    /// its fund, else by an alternate.
    static func history(_ path: String, models: ModelPortfolios) throws -> ReturnHistory {
        let table = try PricesReader.read(contentsOf: URL(fileURLWithPath: path))
        var columns: [(assetClass: String, column: Int)] = []
        for c in models.assetClasses {
            if let k = ([c.id, c.fund] + c.alternates).lazy.compactMap({ table.symbols.firstIndex(of: $0) }).first {
                columns.append((c.id, k))
            }
        }
        guard !columns.isEmpty else {
            throw DataFailure(lines: ["\(path): no column is an asset class or a fund of the models (e.g. \(models.assetClasses.first?.fund ?? "FUSLC"))"])
        }
        let rows = table.dates.indices.map { d in table.symbols.indices.map { table.prices[$0][d] } }
        return try ReturnHistory.monthly(dates: table.dates, prices: rows, columns: columns)
    }
}

/// What `folio goals --format json` writes.
struct GoalsDocument: Encodable {
    struct Step: Encodable {
        var year: Int, yearsToGoal, equityShare, expectedReturn, volatility: Double
    }
    struct Take: Encodable {
        var extraYearlySaving, probabilityWithSaving: Double?
        var laterDate: String?, monthsLater: Int?, probabilityAtLaterDate: Double?
        var smallerTarget, probabilityWithSmallerTarget: Double?
        var riskierCategory: String?, probabilityWithRiskierModel: Double?
        var sentence: String
    }
    struct Row: Encodable {
        var name, priority, status, amountBasis, targetDate: String
        var targetAmount, targetAmountNominal: Double, months: Int
        var requiredProbability, probabilityOfSuccess, standardError, probabilityTogether: Double
        var requiredAnnualReturn: Double?, requiredReturnStatus: String
        var p10, p50, p90: Double, surplusAt90: Double?
        var depletedPaths: Int
        var whatWouldItTake: Take?
        var sentence: String
        var allocation: [Step]
    }
    var category, returnModel: String, glidePath: Bool, expectedReturn, volatility: Double, illustrativeAssumptions: Bool
    var paths: Int, seed: UInt64
    var earmarked: Double, assets: Double?
    var goals: [Row], warnings: [String]

    init(category: String, returnModel: String, glidePath: Bool, expectedReturn: Double, volatility: Double,
         illustrativeAssumptions: Bool, paths: Int, seed: UInt64, goals: [Goal], outlook: HouseholdGoalOutlook) {
        self.category = category
        self.returnModel = returnModel
        self.glidePath = glidePath
        self.expectedReturn = expectedReturn
        self.volatility = volatility
        self.illustrativeAssumptions = illustrativeAssumptions
        self.paths = paths
        self.seed = seed
        earmarked = outlook.earmarked
        assets = outlook.assets
        warnings = outlook.warnings
        self.goals = zip(goals, zip(outlook.goals, outlook.together)).map { goal, pair in
            let (o, together) = pair
            let sim = o.simulation
            let level = { (q: Double) in sim.finalBalance(atPercentile: q) ?? .nan }
            let take = o.whatWouldItTake.map { w in
                Take(extraYearlySaving: w.extraYearlySaving, probabilityWithSaving: w.probabilityWithSaving,
                     laterDate: w.laterDate.map { GoalsDocument.day($0) }, monthsLater: w.monthsLater,
                     probabilityAtLaterDate: w.probabilityAtLaterDate, smallerTarget: w.smallerTarget,
                     probabilityWithSmallerTarget: w.probabilityWithSmallerTarget, riskierCategory: w.riskierCategory?.rawValue,
                     probabilityWithRiskierModel: w.probabilityWithRiskierModel, sentence: w.sentence)
            }
            return Row(name: goal.name, priority: goal.priority.rawValue, status: o.status.rawValue,
                       amountBasis: goal.amountBasis.rawValue, targetDate: GoalsDocument.day(goal.targetDate),
                       targetAmount: NSDecimalNumber(decimal: goal.targetAmount).doubleValue, targetAmountNominal: sim.targetAmount,
                       months: sim.months, requiredProbability: o.requiredProbability, probabilityOfSuccess: sim.probabilityOfSuccess,
                       standardError: sim.standardError, probabilityTogether: together.probabilityOfSuccess,
                       requiredAnnualReturn: o.requiredReturn.annualReturn, requiredReturnStatus: o.requiredReturn.status.rawValue,
                       p10: level(0.1), p50: level(0.5), p90: level(0.9), surplusAt90: o.surplusAt90,
                       depletedPaths: sim.depletedPaths, whatWouldItTake: take, sentence: o.sentence,
                       allocation: o.allocation.map { Step(year: $0.year, yearsToGoal: $0.yearsToGoal, equityShare: $0.equityShare,
                                                           expectedReturn: $0.expectedReturn, volatility: $0.volatility) })
        }
    }

    /// `YYYY-MM-DD` (UTC).
    static func day(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The table: rounded dollars, the target beside the percentiles, then a sentence per goal.
    func table() -> String {
        var out = "Model \(category): expected return \(percent(expectedReturn)), volatility \(percent(volatility))"
        out += illustrativeAssumptions ? " (ILLUSTRATIVE assumptions)\n" : "\n"
        out += "Returns: \(returnModel); \(glidePath ? "the glide path is followed year by year" : "the model mix is held"); \(paths) paths, seed \(seed)\n\n"
        var t = TextTable(columns: [.init("Goal"), .init("Priority"), .init("Target", .right), .init("Chance", .right),
                                    .init("Asked", .right), .init("Together", .right), .init("p10", .right), .init("p50", .right),
                                    .init("p90", .right), .init("Status")])
        for g in goals {
            t.append([g.name, g.priority, GoalText.money(g.targetAmountNominal), GoalText.percent(g.probabilityOfSuccess),
                      GoalText.percent(g.requiredProbability), GoalText.percent(g.probabilityTogether), GoalText.money(g.p10),
                      GoalText.money(g.p50), GoalText.money(g.p90), g.status])
        }
        out += t.render()
        out += "\nTarget and percentiles are in money of each goal's date; \"Together\" pools all goals' money in priority order.\n\n"
        for g in goals {
            out += "- " + TerminalText.escaped(g.sentence, keepingNewlines: false)
            switch g.requiredReturnStatus {
            case "solved": out += " A steady \(percent(g.requiredAnnualReturn ?? 0)) a year would reach its target."
            case "reachedAtAnyReturn": out += " Its money and savings reach the target even without growth."
            default: out += " No steady return up to 100% a year reaches the target: the withdrawals or the target are too large for the money."
            }
            out += "\n"
        }
        if !warnings.isEmpty { out += "\nWarnings:\n" + warnings.map { "  - \($0)\n" }.joined() }
        return out
    }
}
