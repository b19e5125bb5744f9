import ArgumentParser
import Folio
import Foundation

/// `folio check`: does a targets file fit a client's risk category (suitability), and why not.
struct CheckCommand: FolioSubcommand {
    /// The exit status when the targets do not fit (1 is a data problem, 2 a usage error).
    static let doesNotFitStatus: Int32 = 3

    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a targets file fits a client's risk category, and say why not.",
        discussion: """
        The client's category comes from --answers (scored as folio profile does, the short-horizon cap included) or from --category. The targets file (asset-class or security form, as folio rebalance reads it) is mapped to the classes of --models (default: the bundled models): a security counts toward the class whose fund or alternate it is. It fits when every class is within --class-tolerance of the category's model weight (default 0.10, ten percentage points), the equity share is at most the model's plus --equity-tolerance (default 0.05), and its volatility under --assumptions (default: the bundled ILLUSTRATIVE assumptions) is below the top of the category's band. Each limit broken is listed with the value, the limit and by how much. A class or symbol the models do not know is an error naming the file and line.

        Exit status: 0 fits, 3 does not fit, 1 a problem in the data, 2 a usage error.

        JSON: fits, category, equityShare, modelEquityShare, volatility, band (minimum, maximum), classWeights, breaches (kind, subject, value, limit, excess, message), notes.

        Examples:
          folio check --targets Examples/Data/households/couple/targets.yaml \\
            --answers Examples/Data/households/couple/answers.yaml
          folio check --targets my-targets.yaml --category conservative --format json
        """)

    @Option(help: "Targets file (YAML or JSON) to check.")
    var targets: String

    @Option(help: "Answers file (YAML or JSON) giving the client's category.")
    var answers: String?

    @Option(help: "Questionnaire file for --answers (default: the bundled questionnaire).")
    var questionnaire: String?

    @Option(help: "The client's risk category instead of --answers: \(RiskCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
    var category: String?

    @Option(name: .customLong("class-tolerance"), parsing: .unconditional, help: "Largest difference of a class's weight from the model's, a fraction (default 0.10).")
    var classTolerance: Double = 0.10

    @Option(name: .customLong("equity-tolerance"), parsing: .unconditional, help: "Largest excess of the equity share over the model's, a fraction (default 0.05).")
    var equityTolerance: Double = 0.05

    @OptionGroup var planning: PlanningOptions

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    /// The category named on the command line (`moderately aggressive`, `Moderately_Aggressive` read too).
    static func parseCategory(_ text: String) -> RiskCategory? {
        RiskCategory(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-"))
    }

    func validate() throws {
        switch (answers, category) {
        case (nil, nil): throw ValidationError("give the client's category with --answers FILE or --category NAME")
        case (.some, .some): throw ValidationError("give --answers or --category, not both")
        default: break
        }
        if let category, Self.parseCategory(category) == nil {
            throw ValidationError("--category must be one of \(RiskCategory.allCases.map(\.rawValue).joined(separator: ", ")), not '\(category)'")
        }
        for (name, value) in [("--class-tolerance", classTolerance), ("--equity-tolerance", equityTolerance)] where !(value.isFinite && value >= 0 && value <= 1) {
            throw ValidationError("\(name) must be a fraction between 0 and 1, not \(value)")
        }
    }

    func run() throws {
        let fit: TargetFit
        let url = URL(fileURLWithPath: targets)
        do {
            let clientCategory: RiskCategory
            if let answers {
                let given = try ClientReader.answers(contentsOf: URL(fileURLWithPath: answers))
                let q = try questionnaire.map { path throws(FileError) in try ClientReader.questionnaire(contentsOf: URL(fileURLWithPath: path)) } ?? .standard
                clientCategory = try ProfileReview(given, questionnaire: q).category
            } else {
                clientCategory = Self.parseCategory(category!)!
            }
            let (cma, models) = try planning.load()
            let target = try TargetsReader.read(contentsOf: url)
            let limits = FitLimits(classTolerance: classTolerance, equityTolerance: equityTolerance)
            switch Result(catching: { () throws(TargetFitError) in
                try TargetFit(target, category: clientCategory, models: models, assumptions: cma, limits: limits)
            }) {
            case .success(let result): fit = result
            case .failure(.unknown(let entries, let known)):
                throw Self.located(entries, known: known, in: url, models: planning.models ?? "the bundled models")
            case .failure(let other): throw other
            }
        } catch {
            throw DataFailure(error)
        }
        switch formatOptions.format {
        case .json:
            struct Document: Encodable { var fits: Bool, fit: TargetFit
                enum Key: String, CodingKey { case fits }
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(fits, forKey: .fits)
                    try fit.encode(to: encoder)
                }
            }
            emit(try jsonText(Document(fits: fit.fits, fit: fit)))
        case .table, .csv:
            emit(Self.text(fit, targets: targets))
        }
        if !fit.fits { throw ExitCode(Self.doesNotFitStatus) }
    }

    /// The unknown classes and symbols as a `FileError`, each at its line in the targets file.
    static func located(_ entries: [TargetFitError.Unknown], known: [String], in url: URL, models: String) -> FileError {
        let places = (try? TargetsReader.entryLocations(contentsOf: url)) ?? [:]
        return FileError(file: url.path, issues: entries.map { entry in
            switch entry {
            case .assetClass(let c):
                FileIssue(places[c.precomposedStringWithCanonicalMapping] ?? FileLocation(file: url.path), found: c,
                          expected: "an asset class of \(models): \(known.joined(separator: ", "))")
            case .symbol(let s):
                FileIssue(places[s] ?? FileLocation(file: url.path), found: s,
                          expected: "a symbol that is the fund or an alternate of a class of \(models)")
            }
        })
    }

    /// The table output.
    static func text(_ fit: TargetFit, targets: String) -> String {
        var out = fit.fits
            ? "\(targets) fits the \(fit.category.displayName) category.\n"
            : "\(targets) does NOT fit the \(fit.category.displayName) category: \(fit.breaches.count) limit\(fit.breaches.count == 1 ? "" : "s") broken.\n"
        out += "  equity \(percent(fit.equityShare)) (model \(percent(fit.modelEquityShare)))"
        if let v = fit.volatility { out += ", volatility \(percent(v)) (band \(percent(fit.band.minimum))-\(percent(fit.band.maximum)))" }
        out += "\n"
        for breach in fit.breaches { out += "  - \(breach.message)\n" }
        for note in fit.notes { out += "  note: \(note)\n" }
        return out
    }
}
