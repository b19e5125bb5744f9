import Foundation
import FolioRebalancing

/// One answered question as it entered the score: the question, the answer chosen, its points
/// and the dimension score it feeds.
public struct AnswerBreakdown: Sendable, Hashable, Codable {
    /// The question's id.
    public var questionID: String
    /// The question's text.
    public var question: String
    /// The id of the answer chosen.
    public var answerID: String
    /// The answer's text.
    public var answer: String
    /// The answer's points, 0 (least risk) to 10 (most risk).
    public var points: Double
    /// The highest points any answer of the question scores.
    public var maximumPoints: Double
    /// The question's weight within its dimension.
    public var weight: Double
    /// The score the question feeds: willingness or capacity.
    public var dimension: RiskDimension
    /// What the answer adds to its dimension's 0–100 score: `100 · weight · points / (10 · Σ weight)`;
    /// the contributions of a dimension sum to its score.
    public var contribution: Double
}

/// A combination of answers a demanding advisor would question before relying on the score.
public struct ProfileFlag: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of inconsistency.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Willingness and capacity far apart (at least ``ProfileChecks/gapThreshold`` points).
        case willingnessCapacityGap
        /// Willingness answers at both extremes (a question at its least risky answer and
        /// another at its most risky).
        case contradictoryAnswers
        /// A named pair of answers that contradict each other (``ProfileChecks/AnswerRule``).
        case answerRule
    }

    /// The kind.
    public var kind: Kind
    /// The rule's id (`"gap"`, `"extremes-willingness"`, or an ``ProfileChecks/AnswerRule/id``).
    public var rule: String
    /// The ids of the questions involved, in questionnaire order.
    public var questions: [String]
    /// One sentence for the advisor: what is inconsistent and what to ask.
    public var message: String

    /// The message.
    public var description: String { message }
}

/// The short-horizon rule as applied: money needed within a few years caps the category.
public struct HorizonCap: Sendable, Hashable, Codable {
    /// What triggered it: the question id, or `"planning-horizon"`.
    public var trigger: String
    /// Years until the money is needed (the answer's upper end, or the stated horizon).
    public var years: Double
    /// The highest category allowed.
    public var cap: RiskCategory
    /// The category the score gave.
    public var scoredCategory: RiskCategory
    /// Whether the cap lowered the category (the score's category was above the cap).
    public var applied: Bool
    /// One sentence: the cap and why.
    public var message: String
}

/// The checks run over a client's answers besides the score: consistency flags and the
/// short-horizon cap. ``standard`` suits ``Questionnaire/standard``; rules that name
/// questions a questionnaire lacks are skipped.
public struct ProfileChecks: Sendable, Hashable, Codable {
    /// Two answers that together contradict each other.
    public struct AnswerRule: Sendable, Hashable, Codable {
        /// The rule's id, e.g. `"no-experience-highest-risk"`.
        public var id: String
        /// First question's id.
        public var firstQuestion: String
        /// Its triggering answer ids.
        public var firstAnswers: Set<String>
        /// Second question's id, or `nil` for "any willingness question at its most risky answer".
        public var secondQuestion: String?
        /// Its triggering answer ids (ignored when ``secondQuestion`` is `nil`).
        public var secondAnswers: Set<String>
        /// The sentence shown when the rule fires.
        public var message: String

        /// Creates a rule.
        /// - Parameters:
        ///   - id: Rule id.
        ///   - firstQuestion: First question id.
        ///   - firstAnswers: Its triggering answers.
        ///   - secondQuestion: Second question id, or `nil` for any willingness question at its top answer.
        ///   - secondAnswers: Its triggering answers.
        ///   - message: The advisor's sentence.
        public init(id: String, firstQuestion: String, firstAnswers: Set<String>, secondQuestion: String?,
                    secondAnswers: Set<String> = [], message: String) {
            self.id = id
            self.firstQuestion = firstQuestion
            self.firstAnswers = firstAnswers
            self.secondQuestion = secondQuestion
            self.secondAnswers = secondAnswers
            self.message = message
        }
    }

    /// The horizon rule: an answer meaning "needed within `years`" caps the category.
    public struct HorizonRule: Sendable, Hashable, Codable {
        /// The question asking when the money is needed.
        public var question: String
        /// The answers meaning "within ``years``".
        public var answers: Set<String>
        /// The horizon in years at or under which the cap applies.
        public var years: Double
        /// The highest category allowed.
        public var cap: RiskCategory

        /// Creates a horizon rule.
        /// - Parameters:
        ///   - question: Question id.
        ///   - answers: Answer ids meaning "within `years`".
        ///   - years: Horizon in years.
        ///   - cap: Highest category allowed.
        public init(question: String, answers: Set<String>, years: Double, cap: RiskCategory) {
            self.question = question
            self.answers = answers
            self.years = years
            self.cap = cap
        }
    }

    /// The smallest gap between willingness and capacity (points of 0–100) that is flagged.
    public var gapThreshold: Double
    /// Whether willingness answers at both extremes (one question at its least risky answer,
    /// another at its most risky) are flagged.
    public var flagsExtremes: Bool
    /// Questions left out of the extremes check: facts rather than attitudes (experience),
    /// which named rules cover instead.
    public var extremesIgnore: Set<String>
    /// Pairs of answers that contradict each other.
    public var rules: [AnswerRule]
    /// The short-horizon rule, or `nil` for none.
    public var horizon: HorizonRule?

    /// Creates checks.
    /// - Parameters:
    ///   - gapThreshold: Smallest flagged willingness–capacity gap, in points (default 40: two categories).
    ///   - flagsExtremes: Flag willingness answered at both extremes.
    ///   - extremesIgnore: Questions the extremes check leaves out.
    ///   - rules: Contradicting answer pairs.
    ///   - horizon: The short-horizon rule.
    public init(gapThreshold: Double = 40, flagsExtremes: Bool = true, extremesIgnore: Set<String> = [], rules: [AnswerRule] = [],
                horizon: HorizonRule? = nil) {
        self.gapThreshold = gapThreshold
        self.flagsExtremes = flagsExtremes
        self.extremesIgnore = extremesIgnore
        self.rules = rules
        self.horizon = horizon
    }

    /// The checks for Folio's bundled questionnaire: a 40-point gap (two categories), extremes
    /// (investing experience aside: a fact, not an attitude), four contradicting pairs, and withdrawals within three years capping the category at
    /// moderately conservative.
    public static let standard = ProfileChecks(
        extremesIgnore: ["investing-experience"],
        rules: [
            AnswerRule(
                id: "no-experience-highest-risk", firstQuestion: "investing-experience", firstAnswers: ["a"], secondQuestion: nil,
                message: "No experience of investments that move daily, yet the most risky answer to another willingness question: "
                    + "the client has not lived through a decline; walk through a real one before relying on the answer."),
            AnswerRule(
                id: "relies-on-portfolio-adds-money", firstQuestion: "income-security", firstAnswers: ["a"],
                secondQuestion: "annual-withdrawal-rate", secondAnswers: ["d"],
                message: "Income is uncertain or comes from this portfolio, yet nothing is to be withdrawn: ask where the household's spending comes from."),
            AnswerRule(
                id: "withdrawals-soon-none-planned", firstQuestion: "time-until-withdrawals", firstAnswers: ["a"],
                secondQuestion: "annual-withdrawal-rate", secondAnswers: ["d"],
                message: "Substantial withdrawals within three years, yet nothing withdrawn over the next five: ask when and how much money is needed."),
            AnswerRule(
                id: "sell-in-decline-widest-range", firstQuestion: "reaction-to-decline", firstAnswers: ["a"],
                secondQuestion: "range-of-outcomes", secondAnswers: ["e"],
                message: "Would move everything to cash after a 20% fall, yet chose the range with a 28% loss: the stated tolerance will not survive a bad year."),
        ],
        horizon: HorizonRule(question: "time-until-withdrawals", answers: ["a"], years: 3, cap: .moderatelyConservative))

    /// The sentence giving the cap and why.
    static func capMessage(_ cap: RiskCategory, years: Double, trigger: String, scored: RiskCategory, applied: Bool) -> String {
        let y = years == years.rounded() ? String(Int(years)) : String(format: "%.1f", years)
        let why = "money needed within \(y) years cannot wait for a market to recover (US stocks took more than "
            + "three years to regain their 2000 and 2007 peaks), so it must not depend on one"
        return applied
            ? "Short-horizon rule (\(trigger)): the category is capped at \(cap.displayName), down from \(scored.displayName): \(why)."
            : "Short-horizon rule (\(trigger)): the category may be at most \(cap.displayName); \(scored.displayName) is within it. Reason: \(why)."
    }
}

/// A client's answers reviewed: the score, each answer's part in it, the inconsistencies a
/// demanding advisor would question, and the short-horizon cap, with the category to use.
public struct ProfileReview: Sendable, Hashable, Codable {
    /// The scored assessment (its ``RiskAssessment/category`` is the score's category, before the cap).
    public var assessment: RiskAssessment
    /// The category to use: the score's category, lowered to the horizon cap when it applies.
    public var category: RiskCategory
    /// The answers, in questionnaire order, with their points and contributions.
    public var breakdown: [AnswerBreakdown]
    /// Inconsistent answers, in the order gap, extremes, rules.
    public var flags: [ProfileFlag]
    /// The short-horizon rule when it was triggered, applied or not.
    public var horizonCap: HorizonCap?

    /// Reviews a client's answers.
    ///
    /// The flags: (1) willingness and capacity at least `checks.gapThreshold` points apart,
    /// naming the questions that pull the higher dimension up (answers at 7 points or more)
    /// and the lower one down (3 or less); (2) willingness with one question at its least risky
    /// answer and another at its most risky; (3) each ``ProfileChecks/AnswerRule`` whose two
    /// answers were both given. The cap: the horizon rule's answer, or `yearsToNeed` at or under
    /// its years, caps the category.
    /// - Parameters:
    ///   - answers: The client's answers.
    ///   - questionnaire: The questionnaire (default ``Questionnaire/standard``).
    ///   - checks: The checks (default ``ProfileChecks/standard``).
    ///   - yearsToNeed: Years until the money is needed, from the profile or goals, when known.
    /// - Throws: ``RiskToleranceError`` naming the question at fault.
    /// - Complexity: O(*q* · *a*) for *q* questions of *a* answers.
    public init(
        _ answers: QuestionnaireAnswers, questionnaire: Questionnaire = .standard, checks: ProfileChecks = .standard,
        yearsToNeed: Double? = nil
    ) throws(RiskToleranceError) {
        let assessment = try questionnaire.assess(answers)
        self.assessment = assessment
        var weightSum: [RiskDimension: Double] = [:]
        for q in questionnaire.questions { weightSum[q.dimension, default: 0] += q.weight }
        var chosen: [String: Questionnaire.Answer] = [:]
        breakdown = questionnaire.questions.map { q in
            let a = q.answer(answers.answers[q.id]!)!  // assess checked every answer
            chosen[q.id] = a
            return AnswerBreakdown(
                questionID: q.id, question: q.text, answerID: a.id, answer: a.text, points: a.score,
                maximumPoints: q.answers.map(\.score).max()!, weight: q.weight, dimension: q.dimension,
                contribution: 100 * q.weight * a.score / (10 * weightSum[q.dimension]!))
        }
        let order = Dictionary(uniqueKeysWithValues: questionnaire.questions.enumerated().map { ($1.id, $0) })
        func sorted(_ ids: [String]) -> [String] { ids.sorted { order[$0]! < order[$1]! } }
        var flags: [ProfileFlag] = []
        let gap = abs(assessment.willingness - assessment.capacity)
        if gap >= checks.gapThreshold {
            let high: RiskDimension = assessment.willingness > assessment.capacity ? .willingness : .capacity
            let involved = breakdown.filter { ($0.dimension == high && $0.points >= 7) || ($0.dimension != high && $0.points <= 3) }
            let (hs, ls) = high == .willingness
                ? (assessment.willingness, assessment.capacity) : (assessment.capacity, assessment.willingness)
            let advice = high == .willingness
                ? "the client wants more risk than the finances can bear; explain why the plan follows capacity"
                : "the finances could bear far more risk than the client wants; check the client understands the cost of caution, and do not push"
            flags.append(ProfileFlag(
                kind: .willingnessCapacityGap, rule: "gap", questions: sorted(involved.map(\.questionID)),
                message: String(format: "Willingness and capacity are %.0f points apart (%@ %.1f, %@ %.1f): ", gap,
                                high.rawValue, hs, high == .willingness ? "capacity" : "willingness", ls) + advice + "."))
        }
        var ruleFlags: [ProfileFlag] = []
        for rule in checks.rules {
            guard let first = chosen[rule.firstQuestion], rule.firstAnswers.contains(first.id) else { continue }
            var second: String?
            if let q = rule.secondQuestion {
                if let a = chosen[q], rule.secondAnswers.contains(a.id) { second = q }
            } else {
                second = breakdown.first {
                    $0.dimension == .willingness && $0.questionID != rule.firstQuestion && $0.points == $0.maximumPoints
                }?.questionID
            }
            guard let second else { continue }
            ruleFlags.append(ProfileFlag(kind: .answerRule, rule: rule.id, questions: sorted([rule.firstQuestion, second]), message: rule.message))
        }
        if checks.flagsExtremes {
            // Capacity answers are facts (a long horizon and thin savings can both be true);
            // only attitudes contradict each other.
            for d in [RiskDimension.willingness] {
                let rows = breakdown.filter { $0.dimension == d && !checks.extremesIgnore.contains($0.questionID) }
                let lowest = rows.filter { row in row.points == questionnaire.question(row.questionID)!.answers.map(\.score).min()! }
                let highest = rows.filter { $0.points == $0.maximumPoints }
                guard let low = lowest.first, let top = highest.first(where: { $0.questionID != low.questionID }) else { continue }
                let questions = sorted([low.questionID, top.questionID])
                if ruleFlags.contains(where: { $0.questions == questions }) { continue }  // a named rule says it better
                flags.append(ProfileFlag(
                    kind: .contradictoryAnswers, rule: "extremes-\(d.rawValue)", questions: questions,
                    message: "\(d.rawValue.capitalized) answers at both extremes: the least risky answer to '\(low.questionID)' "
                        + "(\(low.answer)) and the most risky to '\(top.questionID)' (\(top.answer)); ask which one holds."))
            }
        }
        self.flags = flags + ruleFlags
        var cap: HorizonCap?
        if let h = checks.horizon {
            var trigger: (String, Double)?
            if let a = chosen[h.question], h.answers.contains(a.id) { trigger = (h.question, h.years) }
            if let y = yearsToNeed, y <= h.years, y < (trigger?.1 ?? .infinity) { trigger = ("planning-horizon", y) }
            if let (name, years) = trigger {
                let applied = assessment.category > h.cap
                cap = HorizonCap(trigger: name, years: years, cap: h.cap, scoredCategory: assessment.category, applied: applied,
                                 message: ProfileChecks.capMessage(h.cap, years: years, trigger: name, scored: assessment.category, applied: applied))
            }
        }
        horizonCap = cap
        category = cap.map { min($0.cap, assessment.category) } ?? assessment.category
    }
}
