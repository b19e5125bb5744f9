import Foundation
import FolioRebalancing

/// A risk-tolerance questionnaire, as data: questions, their answers and scores, weights, the
/// dimension each question measures, and the score thresholds of the five risk categories.
///
/// **Scoring.** Each answer scores 0 (least risk) to 10 (most risk). For each
/// ``RiskDimension`` separately, over the questions of that dimension,
/// `score = 100 × Σ(weight × answer score) / (10 × Σ weight)`, a number in [0, 100]. The lower
/// of willingness and capacity governs (willingness on a tie), and the risk category is the
/// last category whose ``CategoryThreshold/minimumScore`` is at most the governing score.
///
/// Folio bundles a default, ``standard``, whose content equals `Examples/Data/questionnaire.yaml`.
/// Reference: Grable & Lytton, *Financial Services Review* 8 (1999) 163–181, for the practice of
/// weighted multi-item risk-tolerance scales; the questions themselves are Folio's own.
public struct Questionnaire: Sendable, Hashable, Codable {
    /// One possible answer to a question.
    public struct Answer: Sendable, Hashable, Codable {
        /// Its id, unique within the question (e.g. `"a"`).
        public var id: String
        /// The text shown to the client.
        public var text: String
        /// The risk score of the answer, 0 (least risk) to 10 (most risk).
        public var score: Double

        /// Creates an answer.
        /// - Parameters:
        ///   - id: Id unique within the question.
        ///   - score: Score in [0, 10].
        ///   - text: Text shown to the client.
        public init(id: String, score: Double, text: String) {
            self.id = id
            self.text = text
            self.score = score
        }
    }

    /// One question.
    public struct Question: Sendable, Hashable, Codable {
        /// Its id, unique in the questionnaire (e.g. `"reaction-to-decline"`).
        public var id: String
        /// The text shown to the client.
        public var text: String
        /// Whether it measures willingness or capacity.
        public var dimension: RiskDimension
        /// Its weight within its dimension; positive.
        public var weight: Double
        /// The possible answers.
        public var answers: [Answer]

        /// Creates a question.
        /// - Parameters:
        ///   - id: Id unique in the questionnaire.
        ///   - dimension: What it measures.
        ///   - weight: Positive weight within its dimension.
        ///   - text: Text shown to the client.
        ///   - answers: The possible answers.
        public init(id: String, dimension: RiskDimension, weight: Double, text: String, answers: [Answer]) {
            self.id = id
            self.text = text
            self.dimension = dimension
            self.weight = weight
            self.answers = answers
        }

        /// The answer with id `answerID`, or `nil`.
        public func answer(_ answerID: String) -> Answer? { answers.first { $0.id == answerID } }
    }

    /// The lowest governing score of a category.
    public struct CategoryThreshold: Sendable, Hashable, Codable {
        /// The category.
        public var category: RiskCategory
        /// The smallest governing score (0–100) that falls in the category.
        public var minimumScore: Double

        /// Creates a threshold.
        /// - Parameters:
        ///   - category: The category.
        ///   - minimumScore: Its lowest score (0–100).
        public init(_ category: RiskCategory, minimumScore: Double) {
            self.category = category
            self.minimumScore = minimumScore
        }
    }

    /// The questionnaire's id, referred to by answer sets (e.g. `"folio-default"`).
    public var id: String
    /// Its version number.
    public var version: Int
    /// Its title.
    public var title: String
    /// Category thresholds, minimum scores strictly increasing, the first 0.
    public var categories: [CategoryThreshold]
    /// The questions, in the order they are asked.
    public var questions: [Question]

    /// Creates a questionnaire.
    /// - Parameters:
    ///   - id: Its id.
    ///   - version: Version number (default 1).
    ///   - title: Title.
    ///   - categories: Category thresholds.
    ///   - questions: Questions.
    public init(id: String, version: Int = 1, title: String = "", categories: [CategoryThreshold], questions: [Question]) {
        self.id = id
        self.version = version
        self.title = title
        self.categories = categories
        self.questions = questions
    }

    /// The question with id `questionID`, or `nil`.
    public func question(_ questionID: String) -> Question? { questions.first { $0.id == questionID } }

    /// Checks the questionnaire: unique question ids and answer ids, positive finite weights,
    /// scores in [0, 10], at least one question of each dimension, thresholds increasing from 0.
    /// - Throws: ``RiskToleranceError/invalidQuestionnaire(id:detail:)`` saying what is wrong.
    /// - Complexity: O(*q* · *a*) for *q* questions of *a* answers.
    public func validate() throws(RiskToleranceError) {
        func fail(_ d: String) -> RiskToleranceError { .invalidQuestionnaire(id: id, detail: d) }
        var ids = Set<String>()
        for q in questions {
            if !ids.insert(q.id).inserted { throw fail("duplicate question id '\(q.id)'") }
            if !(q.weight.isFinite && q.weight > 0) { throw fail("question '\(q.id)' has weight \(q.weight); must be > 0") }
            if q.answers.isEmpty { throw fail("question '\(q.id)' has no answers") }
            var aids = Set<String>()
            for a in q.answers {
                if !aids.insert(a.id).inserted { throw fail("question '\(q.id)' repeats answer id '\(a.id)'") }
                if !(a.score.isFinite && a.score >= 0 && a.score <= 10) {
                    throw fail("answer '\(a.id)' of question '\(q.id)' scores \(a.score); must be in [0, 10]")
                }
            }
        }
        for d in RiskDimension.allCases where !questions.contains(where: { $0.dimension == d }) {
            throw fail("no \(d.rawValue) question")
        }
        guard let first = categories.first, first.minimumScore == 0 else { throw fail("the first category must start at 0") }
        for (a, b) in zip(categories, categories.dropFirst()) where !(b.minimumScore > a.minimumScore) {
            throw fail("category thresholds must increase ('\(b.category.rawValue)')")
        }
    }

    /// The category of a 0–100 score: the last whose minimum is at most the score (a score
    /// within `1e-9` of a threshold counts as reaching it).
    /// - Parameter score: A score in [0, 100].
    /// - Complexity: O(*c*) in the number of categories.
    public func category(forScore score: Double) -> RiskCategory {
        var result = categories.first?.category ?? .conservative
        for c in categories where c.minimumScore <= score + 1e-9 { result = c.category }
        return result
    }

    /// Scores one dimension from answers already checked.
    private func dimensionScore(_ d: RiskDimension, _ chosen: [String: Answer]) -> Double {
        var num = 0.0
        var den = 0.0
        for q in questions where q.dimension == d {
            num += q.weight * chosen[q.id]!.score
            den += q.weight
        }
        return den > 0 ? 100 * num / (10 * den) : 0
    }

    /// Scores a client's answers.
    ///
    /// - Parameter answers: The answer id chosen for each question id; every question must be
    ///   answered and every id must exist.
    /// - Returns: Willingness, capacity, the governing dimension, the category and an explanation.
    /// - Throws: ``RiskToleranceError``: `.unknownQuestion` (reported first, the smallest id),
    ///   `.unanswered` (the first unanswered question in questionnaire order), `.unknownAnswer`,
    ///   or `.invalidQuestionnaire`.
    /// - Complexity: O(*q* · *a*).
    public func assess(_ answers: QuestionnaireAnswers) throws(RiskToleranceError) -> RiskAssessment {
        try validate()
        if let qid = answers.questionnaireID, qid != id { throw .questionnaireMismatch(expected: id, found: qid) }
        let known = Set(questions.map(\.id))
        if let unknown = answers.answers.keys.filter({ !known.contains($0) }).sorted().first {
            throw .unknownQuestion(questionID: unknown)
        }
        var chosen: [String: Answer] = [:]
        for q in questions {
            guard let aid = answers.answers[q.id] else { throw .unanswered(questionID: q.id) }
            guard let a = q.answer(aid) else { throw .unknownAnswer(questionID: q.id, answerID: aid) }
            chosen[q.id] = a
        }
        let w = dimensionScore(.willingness, chosen)
        let c = dimensionScore(.capacity, chosen)
        let governing: RiskDimension = c < w ? .capacity : .willingness
        let score = min(w, c)
        let category = category(forScore: score)
        let wc = self.category(forScore: w)
        let cc = self.category(forScore: c)
        let fw = String(format: "%.1f", w)
        let fc = String(format: "%.1f", c)
        let explanation: String
        switch governing {
        case .capacity:
            explanation = "Capacity governs: the client's finances (capacity \(fc), \(cc.displayName)) can bear less risk "
                + "than the client is willing to take (willingness \(fw), \(wc.displayName)), so the plan is held to "
                + "\(category.displayName)."
        case .willingness where w == c:
            explanation = "Willingness and capacity agree (\(fw)): \(category.displayName)."
        case .willingness:
            explanation = "Willingness governs: the client wants less risk (willingness \(fw), \(wc.displayName)) "
                + "than the finances could bear (capacity \(fc), \(cc.displayName)), so the plan follows the "
                + "client's preference: \(category.displayName)."
        }
        return RiskAssessment(
            questionnaireID: id, willingness: w, capacity: c, governing: governing, score: score,
            category: category, willingnessCategory: wc, capacityCategory: cc, explanation: explanation)
    }

    /// Scores answers given as question id → answer id.
    /// - Parameter answers: The chosen answer id per question id.
    /// - Returns: The assessment; see ``assess(_:)-(QuestionnaireAnswers)``.
    /// - Throws: ``RiskToleranceError`` naming the question at fault.
    /// - Complexity: O(*q* · *a*).
    public func assess(_ answers: [String: String]) throws(RiskToleranceError) -> RiskAssessment {
        try assess(QuestionnaireAnswers(answers))
    }
}

/// A client's answers to a questionnaire (the content of `answers.yaml`).
public struct QuestionnaireAnswers: Sendable, Hashable, Codable {
    /// The id of the questionnaire answered, or `nil` when not stated.
    public var questionnaireID: String?
    /// The chosen answer id per question id.
    public var answers: [String: String]

    /// Creates an answer set.
    /// - Parameters:
    ///   - answers: Answer id per question id.
    ///   - questionnaireID: The questionnaire's id, when known.
    public init(_ answers: [String: String], questionnaireID: String? = nil) {
        self.questionnaireID = questionnaireID
        self.answers = answers
    }
}
