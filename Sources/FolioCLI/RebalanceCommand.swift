import ArgumentParser
import Folio
import Foundation

/// `folio rebalance`: holdings + target + policy -> trades, summary and report.
struct RebalanceCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "rebalance",
        abstract: "Turn holdings, a target and a policy into a reviewed trade list.",
        discussion: """
        Reads the holdings (one row per tax lot, CASH rows for cash), the target (by security or by asset class), an optional policy (bands, calendar, cash, costs, taxes, restrictions), an optional client profile (tax rates, excluded symbols) and optional prices, and prints the plan: trades (sells before buys), realized gains, estimated tax, cash and weights before and after. Without tax rates (policy taxes or the profile's tax_rates) the tax is reported as not estimated. File formats: Documentation/FileFormats.md.

        Holdings with several accounts and a target by asset class are rebalanced as one household: the target is spread over the accounts by the policy's asset_location rules (bonds to tax-deferred accounts first, high-growth classes to tax-exempt ones, tax-efficient equity to taxable ones) and each account trades to its share; the asset-class table compares the household with the target. Set asset_location.scope: per-account in the policy to rebalance each account to the whole target instead.

        Example:
          folio rebalance --holdings Examples/Data/households/couple/holdings.csv \\
            --targets Examples/Data/households/couple/targets.yaml \\
            --policy Examples/Data/households/couple/policy.yaml \\
            --securities Examples/Data/securities.csv \\
            --prices Examples/Data/prices.csv --output plan/
        """)

    @Option(help: "Holdings file (CSV or JSON), one row per tax lot.")
    var holdings: String

    @Option(help: "Targets file (YAML or JSON).")
    var targets: String

    @Option(help: "Prices file (CSV, wide or long); the as-of date's close is used.")
    var prices: String?

    @Option(help: "Policy file (YAML or JSON); defaults: trigger always, to target, tax-minimizing lots, no tax rates (tax not estimated).")
    var policy: String?

    @Option(help: "Client profile (YAML or JSON): its tax_rates apply where the policy sets none; its constraints.exclude_symbols are not bought.")
    var profile: String?

    @Option(help: "Securities file (CSV): asset class, fractional shares, lot size, tradable.")
    var securities: String?

    @Option(name: .customLong("as-of"), help: "Trade date, YYYY-MM-DD (default: the prices' last date, else today).")
    var asOf: String?

    // `.unconditionalSingleValue`: `--cash-flow -12000` is a withdrawal, not an unknown option.
    @Option(name: .customLong("cash-flow"), parsing: .unconditionalSingleValue,
            help: "A deposit (positive) or withdrawal (negative), AMOUNT or ACCOUNT=AMOUNT; repeatable.")
    var cashFlows: [String] = []

    @OptionGroup var dates: DateFormatOptions

    @OptionGroup var formatOptions: FormatOptions

    @Option(help: "Folder for trades.csv, lot-relief.csv, plan.json and report.html.")
    var output: String?

    @Option(help: "Write the HTML report to this file.")
    var report: String?

    @Flag(name: .customLong("show-account-numbers"),
          help: "Show account numbers in full in the HTML report (default: masked to the last four characters, e.g. ••••4466).")
    var showAccountNumbers = false

    @Flag(name: .customLong("tax-sweep"),
          help: "Also print the tax-versus-drift frontier (20 tax weights, the policy's optimizer settings or the defaults) and, with --output, write tax-frontier.svg.")
    var taxSweep = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let asOf, Self.parseDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, not \(asOf)") }
        for flow in cashFlows where Self.parseFlow(flow) == nil {
            throw ValidationError("--cash-flow must be AMOUNT or ACCOUNT=AMOUNT (e.g. 20000 or Z41-583920=-5000), not \(flow)")
        }
    }

    func run() throws {
        let inputs: RebalanceInputs
        do {
            inputs = try RebalanceInputs.load(
                holdings: URL(fileURLWithPath: holdings), targets: URL(fileURLWithPath: targets),
                policy: policy.map { URL(fileURLWithPath: $0) }, profile: profile.map { URL(fileURLWithPath: $0) },
                securities: securities.map { URL(fileURLWithPath: $0) },
                prices: prices.map { URL(fileURLWithPath: $0) }, asOf: asOf.flatMap(Self.parseDate),
                cashFlows: cashFlows.compactMap(Self.parseFlow), dateOrder: dates.order)
        } catch {
            throw DataFailure(error)
        }
        let run: (plans: [RebalancePlan], notes: [String], location: [String])
        do {
            if let settings = inputs.policyFile.optimizer {
                let optimized = try inputs.optimizedRebalance(settings)
                run = (optimized.plans, optimized.notes, [])
            } else {
                let rules = try inputs.rebalance()
                run = (rules.plans, rules.notes, rules.household.location?.reasoning ?? [])
            }
        } catch {
            throw DataFailure(error)
        }
        // The household's name from the files (targets `name:`, else the profile's client), never a folder's name.
        let planReport = PlanReport(title: inputs.householdName ?? "Portfolio", plans: run.plans, target: inputs.target,
                                    notes: inputs.notes + run.notes, names: inputs.names)
        switch formatOptions.format {
        case .table: print(planReport.table(width: TerminalWidth.current), terminator: "")
        case .json: FileHandle.standardOutput.write(try planReport.json())
        case .csv: print(planReport.tradesCSV(), terminator: "")
        }
        var frontierSVG: String?
        var frontierPoints: [(taxWeight: Double, trackingError: Double, tax: Double)] = []
        if taxSweep {
            let points: [(taxWeight: Double, trackingError: Double, tax: Double, traded: Double)]
            do { points = try inputs.taxSweep(inputs.policyFile.optimizer ?? OptimizerSettings()) } catch { throw DataFailure(error) }
            var lines = ["", "Tax versus drift (relaxed optimum per tax weight)", "tax weight   tracking error   tax realized   traded"]
            for p in points {
                lines.append(String(format: "%10.4g   %10.2f pts   %12.0f   %10.0f", p.taxWeight, p.trackingError * 100, p.tax, p.traded))
            }
            print(lines.joined(separator: "\n"))
            frontierPoints = points.map { ($0.taxWeight, $0.trackingError, $0.tax) }
            frontierSVG = SVGChart.taxFrontier(points: frontierPoints)
        }
        do {
            if let output, let frontierSVG {
                try AtomicFile.write(frontierSVG + "\n", to: URL(fileURLWithPath: output).appendingPathComponent("tax-frontier.svg"))
            }
            if let output {
                let folder = URL(fileURLWithPath: output)
                // All four or none: a full disk leaves the previous run's files, never a mix.
                try AtomicFile.write([
                    (Data(planReport.tradesCSV().utf8), folder.appendingPathComponent("trades.csv")),
                    (Data(planReport.lotReliefCSV(accounts: inputs.accounts).utf8), folder.appendingPathComponent("lot-relief.csv")),
                    (try planReport.json(), folder.appendingPathComponent("plan.json")),
                    (Data(planReport.html(showingAccountNumbers: showAccountNumbers, taxFrontier: frontierPoints).utf8), folder.appendingPathComponent("report.html")),
                ])
            }
            if let report { try AtomicFile.write(planReport.html(showingAccountNumbers: showAccountNumbers, taxFrontier: frontierPoints), to: URL(fileURLWithPath: report)) }
        } catch {
            throw DataFailure(error)
        }
        if common.verbose {
            for note in inputs.notes + run.notes { FileHandle.standardError.write(Data("note: \(TerminalText.escaped(note, keepingNewlines: false))\n".utf8)) }
            for line in run.location { FileHandle.standardError.write(Data("asset location: \(TerminalText.escaped(line, keepingNewlines: false))\n".utf8)) }
        }
    }

    static func parseDate(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.day, from: date) == parts[2] else { return nil }
        return date
    }

    /// `AMOUNT` or `ACCOUNT=AMOUNT`; the amount is in the money syntax and must be the whole
    /// text after the last `=` (`500-`, `1.000.000` and `5-3` are errors, never 500, 1 or 5).
    static func parseFlow(_ text: String) -> (account: String?, amount: Decimal)? {
        let split = text.lastIndex(of: "=")
        let amountText = split.map { String(text[text.index(after: $0)...]) } ?? text
        guard let amount = MoneyText.parse(amountText) else { return nil }
        return (split.map { String(text[..<$0]) }, amount)
    }
}
