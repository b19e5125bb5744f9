import Foundation
import FolioRebalancing

/// The five risk categories of a client, from least to most risky.
///
/// The raw values are the kebab-case ids used in Folio's files (`questionnaire.yaml`,
/// `models.yaml`). Categories are ordered: `.conservative < .aggressive`.
public enum RiskCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CodingKeyRepresentable {
    /// Capital preservation first; mostly bonds and cash.
    case conservative
    /// Some growth, with small drawdowns.
    case moderatelyConservative = "moderately-conservative"
    /// A balance of growth and stability, roughly 60/40.
    case moderate
    /// Growth first, with a bond cushion.
    case moderatelyAggressive = "moderately-aggressive"
    /// Maximum long-term growth; large drawdowns accepted.
    case aggressive

    /// The position of the category in risk order, 0 (conservative) to 4 (aggressive).
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    /// A readable name, e.g. "moderately aggressive".
    public var displayName: String { rawValue.replacingOccurrences(of: "-", with: " ") }

    /// Orders categories from least to most risky.
    public static func < (lhs: RiskCategory, rhs: RiskCategory) -> Bool { lhs.rank < rhs.rank }
}

/// What a risk-tolerance question measures.
public enum RiskDimension: String, Sendable, Hashable, Codable, CaseIterable {
    /// Risk *willingness*: the client's attitude to losses and swings (psychology).
    case willingness
    /// Risk *capacity*: how much loss the client's finances can absorb (horizon, income,
    /// reserves, withdrawals), whatever the client's attitude.
    case capacity
}

/// The result of scoring a client's answers: a 0–100 score per dimension, which one governs,
/// the risk category and a sentence explaining the decision.
///
/// The lower of willingness and capacity governs (willingness when they are equal): a client
/// eager for risk whose finances cannot absorb it is held to its capacity, and a client whose
/// finances could absorb risk but who does not want it is held to its willingness. This is the
/// usual practice described by Grable & Lytton, "Financial risk tolerance revisited: the
/// development of a risk assessment instrument", *Financial Services Review* 8 (1999), and in
/// the CFA Institute curriculum on risk tolerance (ability versus willingness to take risk).
public struct RiskAssessment: Sendable, Hashable, Codable {
    /// The questionnaire's id.
    public var questionnaireID: String
    /// Willingness score, 0 (least risk) to 100 (most risk).
    public var willingness: Double
    /// Capacity score, 0 to 100.
    public var capacity: Double
    /// The dimension whose score governs (the lower; willingness on a tie).
    public var governing: RiskDimension
    /// The governing score, `min(willingness, capacity)`, 0 to 100.
    public var score: Double
    /// The category of the governing score.
    public var category: RiskCategory
    /// The category willingness alone would give.
    public var willingnessCategory: RiskCategory
    /// The category capacity alone would give.
    public var capacityCategory: RiskCategory
    /// One sentence for the advisor saying which dimension governed and why.
    public var explanation: String

    /// Creates an assessment (normally made by ``Questionnaire/assess(_:)-(QuestionnaireAnswers)``).
    /// - Parameters:
    ///   - questionnaireID: The questionnaire's id.
    ///   - willingness: Willingness score (0–100).
    ///   - capacity: Capacity score (0–100).
    ///   - governing: Which dimension governs.
    ///   - score: Governing score (0–100).
    ///   - category: Governing category.
    ///   - willingnessCategory: Willingness-only category.
    ///   - capacityCategory: Capacity-only category.
    ///   - explanation: The advisor-facing sentence.
    public init(
        questionnaireID: String, willingness: Double, capacity: Double, governing: RiskDimension,
        score: Double, category: RiskCategory, willingnessCategory: RiskCategory,
        capacityCategory: RiskCategory, explanation: String
    ) {
        self.questionnaireID = questionnaireID
        self.willingness = willingness
        self.capacity = capacity
        self.governing = governing
        self.score = score
        self.category = category
        self.willingnessCategory = willingnessCategory
        self.capacityCategory = capacityCategory
        self.explanation = explanation
    }
}

/// Bad questionnaire data or answers. Each case names the question or answer at fault.
public enum RiskToleranceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A question of the questionnaire has no answer.
    case unanswered(questionID: String)
    /// An answer names a question the questionnaire does not have.
    case unknownQuestion(questionID: String)
    /// An answer id is not among the question's answers.
    case unknownAnswer(questionID: String, answerID: String)
    /// The answers were written for another questionnaire.
    case questionnaireMismatch(expected: String, found: String)
    /// The questionnaire itself is malformed (duplicate ids, bad weights or scores, missing
    /// dimension, bad category thresholds); `detail` says what.
    case invalidQuestionnaire(id: String, detail: String)

    /// A readable description naming the question.
    public var description: String {
        switch self {
        case .unanswered(let q): "question '\(q)' is not answered"
        case .unknownQuestion(let q): "answer given for unknown question '\(q)'"
        case .unknownAnswer(let q, let a): "answer '\(a)' is not an answer of question '\(q)'"
        case .questionnaireMismatch(let e, let f): "answers are for questionnaire '\(f)', expected '\(e)'"
        case .invalidQuestionnaire(let id, let d): "questionnaire '\(id)': \(d)"
        }
    }
}
