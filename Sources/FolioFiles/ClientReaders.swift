import Foundation
import FolioPlanning
import FolioRebalancing

/// Reads the client's files: questionnaire answers, goals and the profile that points to them
/// (`Documentation/FileFormats.md`: answers.yaml, goals.yaml, profile.yaml). The bundled
/// questionnaire is `Questionnaire.standard`; its YAML form is `Examples/Data/questionnaire.yaml`.
public enum ClientReader {
    /// Reads an answers file: `answers: {question id: answer id}` and an optional
    /// `questionnaire` id.
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    public static func answers(contentsOf url: URL) throws(FileError) -> QuestionnaireAnswers {
        var doc = try YAMLDocument(parsing: HoldingsReader.readText(url), file: url.path)
        let top = doc.fields(doc.root, "answers and an optional questionnaire id", allowed: ["questionnaire", "answers"])
        let id = top["questionnaire"].flatMap { doc.string($0, "a questionnaire id") }
        var answers: [String: String] = [:]
        for pair in doc.mapping(top["answers"], "answers: a mapping of question id to answer id") ?? [] {
            if let answer = doc.string(pair.value, "an answer id for \(pair.key)") { answers[pair.key] = answer }
        }
        try doc.check()
        return QuestionnaireAnswers(answers, questionnaireID: id)
    }

    /// Reads a questionnaire file (id, version, title, categories, questions).
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    public static func questionnaire(contentsOf url: URL) throws(FileError) -> Questionnaire {
        var doc = try YAMLDocument(parsing: HoldingsReader.readText(url), file: url.path)
        let top = doc.fields(doc.root, "a questionnaire", allowed: ["id", "version", "title", "scoring", "categories", "questions"])
        let id = doc.string(top["id"], "a questionnaire id") ?? ""
        let version = top["version"].flatMap { doc.int($0, "a version number") } ?? 1
        let title = top["title"].flatMap { doc.string($0, "a title") } ?? ""
        var categories: [Questionnaire.CategoryThreshold] = []
        for item in doc.sequence(top["categories"], "a list of {id, min_score}") ?? [] {
            let f = doc.fields(item, "a category", allowed: ["id", "min_score"])
            guard let text = doc.string(f["id"], "a risk category"), let score = doc.double(f["min_score"], "a minimum score") else { continue }
            guard let category = RiskCategory(rawValue: text) else {
                doc.report(f["id"], expected: RiskCategory.allCases.map(\.rawValue).joined(separator: ", ")); continue
            }
            categories.append(.init(category, minimumScore: score))
        }
        var questions: [Questionnaire.Question] = []
        for item in doc.sequence(top["questions"], "a list of questions") ?? [] {
            let f = doc.fields(item, "a question", allowed: ["id", "text", "kind", "weight", "answers"])
            guard let qid = doc.string(f["id"], "a question id"), let text = doc.string(f["text"], "the question's text"),
                  let kindText = doc.string(f["kind"], "willingness or capacity"), let weight = doc.double(f["weight"], "a weight > 0") else { continue }
            guard let kind = RiskDimension(rawValue: kindText) else { doc.report(f["kind"], expected: "willingness or capacity"); continue }
            var answers: [Questionnaire.Answer] = []
            for a in doc.sequence(f["answers"], "a list of {id, text, score}") ?? [] {
                let af = doc.fields(a, "an answer", allowed: ["id", "text", "score"])
                guard let aid = doc.string(af["id"], "an answer id"), let atext = doc.string(af["text"], "the answer's text"),
                      let score = doc.double(af["score"], "a score in [0, 10]") else { continue }
                answers.append(.init(id: aid, score: score, text: atext))
            }
            questions.append(.init(id: qid, dimension: kind, weight: weight, text: text, answers: answers))
        }
        try doc.check()
        return Questionnaire(id: id, version: version, title: title, categories: categories, questions: questions)
    }

    /// Reads a goals file: `inflation` and a list of goals. A target that is not positive and a
    /// `required_probability` outside (0, 1] are errors at their line naming the goal; each goal
    /// keeps its `file:line`, so a date found to be past at analysis time names it too.
    ///
    /// - Throws: `FileError` naming every problem with its line and column.
    public static func goals(contentsOf url: URL) throws(FileError) -> GoalSet {
        var doc = try YAMLDocument(parsing: HoldingsReader.readText(url), file: url.path)
        let top = doc.fields(doc.root, "inflation and goals", allowed: ["inflation", "goals"])
        let inflation = top["inflation"].flatMap { doc.double($0, "an inflation rate such as 0.025") } ?? 0.025
        var goals: [Goal] = []
        var names: Set<String> = []
        func flow(_ value: YAMLValue?) -> PlannedCashFlow? {
            guard let value else { return nil }
            let f = doc.fields(value, "a cash flow", allowed: ["amount", "frequency", "annual_growth", "start_date", "end_date"])
            guard let amount = doc.money(f["amount"], "an amount > 0"), let text = doc.string(f["frequency"], "a frequency") else { return nil }
            guard let frequency = PlannedCashFlow.Frequency(rawValue: text) else {
                doc.report(f["frequency"], expected: "monthly, quarterly, semi-annual or annual"); return nil
            }
            return PlannedCashFlow(amount: amount, frequency: frequency,
                                   annualGrowth: f["annual_growth"].flatMap { doc.double($0, "a growth rate") } ?? 0,
                                   startDate: f["start_date"].flatMap { doc.date($0, "a date") },
                                   endDate: f["end_date"].flatMap { doc.date($0, "a date") })
        }
        for item in doc.sequence(top["goals"], "a list of goals") ?? [] {
            let f = doc.fields(item, "a goal", allowed: ["name", "target_amount", "amount_basis", "target_date", "priority",
                                                         "set_aside", "contributions", "withdrawals", "required_probability"])
            // Every field is checked, so one bad value does not hide the next.
            let name = doc.string(f["name"], "a goal name")
            let quoted = name.map { "goal '\($0)': " } ?? ""
            let amount = doc.money(f["target_amount"], quoted + "a target amount > 0 such as 80000.00")
            let date = doc.date(f["target_date"], quoted + "a target date such as \"2030-09-01\"")
            let priority = doc.string(f["priority"], "need, want or wish").flatMap { text in
                Goal.Priority(rawValue: text) ?? { doc.report(f["priority"], expected: "need, want or wish"); return nil }()
            }
            guard let name, let amount, let date, let priority else { continue }
            if amount <= 0 { doc.report(f["target_amount"], expected: quoted + "a target amount > 0 such as 80000.00"); continue }
            var probability: Double? = nil
            if let v = f["required_probability"], let p = doc.double(v, quoted + "a probability in (0, 1] such as 0.8") {
                guard p > 0, p <= 1 else { doc.report(v, expected: quoted + "a probability in (0, 1] such as 0.8 (not a percent)"); continue }
                probability = p
            }
            var basis = Goal.AmountBasis.today
            if let b = f["amount_basis"], let text = doc.string(b, "today or nominal") {
                guard let parsed = Goal.AmountBasis(rawValue: text) else { doc.report(b, expected: "today or nominal"); continue }
                basis = parsed
            }
            if !names.insert(name).inserted { doc.report(f["name"], expected: "a goal name used once"); continue }
            goals.append(Goal(name: name, targetAmount: amount, amountBasis: basis, targetDate: date, priority: priority,
                              setAside: f["set_aside"].flatMap { doc.money($0, "an amount set aside") } ?? 0,
                              contributions: flow(f["contributions"]), withdrawals: flow(f["withdrawals"]),
                              requiredProbability: probability, source: "\(url.path):\(item.location.line)"))
        }
        try doc.check()
        return GoalSet(inflation: inflation, goals: goals)
    }

    /// A profile with the files it names (relative paths from the profile's folder; absolute ones as they are).
    public struct ProfileFiles: Sendable {
        /// The client, with answers and goals when the profile names them.
        public var profile: ClientProfile
        /// The questionnaire the answers refer to (the bundled default unless named).
        public var questionnaire: Questionnaire
    }

    /// Reads a profile file and the answers, goals and questionnaire it names.
    ///
    /// - Throws: `FileError` of the first file with problems, every problem named.
    public static func profile(contentsOf url: URL) throws(FileError) -> ProfileFiles {
        var doc = try YAMLDocument(parsing: HoldingsReader.readText(url), file: url.path)
        let top = doc.fields(doc.root, "a client profile", allowed: ["client", "horizon_years", "tax_rates", "constraints",
                                                                     "answers", "goals", "questionnaire"])
        let c = doc.fields(top["client"], "client: name and birth_year",
                           allowed: ["name", "birth_year", "spouse", "household_income", "filing_status", "dependents", "retirement_age"])
        let name = doc.string(c["name"], "the client's name") ?? ""
        let birthYear = doc.int(c["birth_year"], "a birth year") ?? 0
        var spouse: ClientProfile.Person? = nil
        if let s = c["spouse"] {
            let sf = doc.fields(s, "spouse: name and birth_year", allowed: ["name", "birth_year"])
            spouse = ClientProfile.Person(name: doc.string(sf["name"], "a name") ?? "", birthYear: doc.int(sf["birth_year"], "a birth year") ?? 0)
        }
        var taxRates = ClientTaxRates()
        if let t = top["tax_rates"] {
            let tf = doc.fields(t, "tax rates", allowed: ["ordinary_income", "short_term_gains", "long_term_gains"])
            taxRates = ClientTaxRates(ordinaryIncome: tf["ordinary_income"].flatMap { doc.fraction($0, "a rate such as 0.37") },
                                      shortTermGains: tf["short_term_gains"].flatMap { doc.fraction($0, "a rate such as 0.37") },
                                      longTermGains: tf["long_term_gains"].flatMap { doc.fraction($0, "a rate such as 0.20") })
        }
        var constraints = ClientConstraints.none
        if let k = top["constraints"] {
            let kf = doc.fields(k, "constraints", allowed: ["exclude_symbols", "exclude_sectors", "exclude_asset_classes",
                                                            "asset_class_bounds", "max_security_weight"])
            let list = { (key: String) -> [String] in
                (kf[key].flatMap { doc.sequence($0, "a list") } ?? []).compactMap { doc.string($0, "an id") }
            }
            var bounds: [String: WeightBounds] = [:]
            for pair in kf["asset_class_bounds"].flatMap({ doc.mapping($0, "class -> {min, max}") }) ?? [] {
                let bf = doc.fields(pair.value, "{min, max}", allowed: ["min", "max"])
                bounds[pair.key] = WeightBounds(minimum: bf["min"].flatMap { doc.double($0, "a fraction") },
                                                maximum: bf["max"].flatMap { doc.double($0, "a fraction") })
            }
            constraints = ClientConstraints(excludedSymbols: Set(list("exclude_symbols").map { $0.uppercased() }),
                                            excludedSectors: Set(list("exclude_sectors")),
                                            excludedAssetClasses: Set(list("exclude_asset_classes")),
                                            assetClassBounds: bounds,
                                            maxSecurityWeight: kf["max_security_weight"].flatMap { doc.double($0, "a fraction") })
        }
        let folder = url.deletingLastPathComponent()
        let answersPath = top["answers"].flatMap { doc.string($0, "a path") }
        let goalsPath = top["goals"].flatMap { doc.string($0, "a path") }
        let questionnairePath = top["questionnaire"].flatMap { doc.string($0, "a path") }
        let income = c["household_income"].flatMap { doc.money($0, "an income") }
        let dependents = c["dependents"].flatMap { doc.int($0, "a number") } ?? 0
        let retirementAge = c["retirement_age"].flatMap { doc.int($0, "an age") }
        let horizon = top["horizon_years"].flatMap { doc.int($0, "a number of years") }
        try doc.check()
        let answers = try answersPath.map { path throws(FileError) in try Self.answers(contentsOf: URL.named(path, inFileIn: folder)) }
        let goals = try goalsPath.map { path throws(FileError) in try Self.goals(contentsOf: URL.named(path, inFileIn: folder)) }
        let questionnaire = try questionnairePath.map { path throws(FileError) in
            try Self.questionnaire(contentsOf: URL.named(path, inFileIn: folder))
        } ?? .standard
        let profile = ClientProfile(client: .init(name: name, birthYear: birthYear), spouse: spouse, householdIncome: income,
                                    dependents: dependents, retirementAge: retirementAge, horizonYears: horizon, taxRates: taxRates,
                                    constraints: constraints, answers: answers, goals: goals)
        return ProfileFiles(profile: profile, questionnaire: questionnaire)
    }
}
