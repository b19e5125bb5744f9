import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

/// Helpers for the goals/risk tests (prefixed to avoid clashes with other suites).
enum GoalsTestSupport {
    /// A UTC date.
    static func date(_ y: Int, _ m: Int, _ d: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: DateComponents(year: y, month: m, day: d))!
    }

    /// The answers picking the highest-scoring (or lowest-scoring) answer of every question.
    static func extremeAnswers(highest: Bool) -> [String: String] {
        var a: [String: String] = [:]
        for q in Questionnaire.standard.questions {
            let pick = highest ? q.answers.max { $0.score < $1.score }! : q.answers.min { $0.score < $1.score }!
            a[q.id] = pick.id
        }
        return a
    }

    /// The sample households' answers (Examples/Data/households/*/answers.yaml).
    static let coupleAnswers = [
        "reaction-to-decline": "c", "range-of-outcomes": "c", "describe-yourself": "c", "coin-flip": "b",
        "checking-habit": "c", "investing-experience": "d", "time-until-withdrawals": "d", "income-security": "c",
        "emergency-savings": "d", "annual-withdrawal-rate": "d",
    ]
    static let retireeAnswers = [
        "reaction-to-decline": "b", "range-of-outcomes": "c", "describe-yourself": "c", "coin-flip": "a",
        "checking-habit": "c", "investing-experience": "d", "time-until-withdrawals": "a", "income-security": "c",
        "emergency-savings": "d", "annual-withdrawal-rate": "b",
    ]
    static let youngAnswers = [
        "reaction-to-decline": "c", "range-of-outcomes": "d", "describe-yourself": "d", "coin-flip": "c",
        "checking-habit": "c", "investing-experience": "b", "time-until-withdrawals": "e", "income-security": "c",
        "emergency-savings": "b", "annual-withdrawal-rate": "d",
    ]
}

@Suite("Risk tolerance questionnaire")
struct RiskToleranceTests {
    let q = Questionnaire.standard

    @Test("The default questionnaire is valid: ten questions, both dimensions")
    func standardIsValid() throws {
        try q.validate()
        #expect(q.id == "folio-default")
        #expect(q.questions.count == 10)
        #expect(q.questions.filter { $0.dimension == .willingness }.count == 6)
        #expect(q.questions.filter { $0.dimension == .capacity }.count == 4)
    }

    @Test("Most risk-seeking answers: willingness 99, capacity 100, aggressive")
    func highestExtreme() throws {
        let a = try q.assess(GoalsTestSupport.extremeAnswers(highest: true))
        #expect(abs(a.willingness - 99) < 1e-12)
        #expect(abs(a.capacity - 100) < 1e-12)
        #expect(a.governing == .willingness)
        #expect(a.score == a.willingness)
        #expect(a.category == .aggressive)
    }

    @Test("Most cautious answers: willingness 2, capacity 0, capacity governs, conservative")
    func lowestExtreme() throws {
        let a = try q.assess(GoalsTestSupport.extremeAnswers(highest: false))
        #expect(abs(a.willingness - 2) < 1e-12)
        #expect(a.capacity == 0)
        #expect(a.governing == .capacity)
        #expect(a.category == .conservative)
    }

    @Test("Middle answers: hand-computed 56 and 50, moderate")
    func middle() throws {
        // willingness: 3*7 + 2*5 + 2*6 + 1*5 + 1*4 + 1*4 = 56 over 10*10 -> 56
        // capacity:    3*6 + 2*4 + 1*6 + 2*3 = 38 over 10*8 -> 47.5
        let answers = [
            "reaction-to-decline": "c", "range-of-outcomes": "c", "describe-yourself": "c", "coin-flip": "b",
            "checking-habit": "b", "investing-experience": "b", "time-until-withdrawals": "c", "income-security": "b",
            "emergency-savings": "c", "annual-withdrawal-rate": "b",
        ]
        let a = try q.assess(answers)
        #expect(abs(a.willingness - 56) < 1e-12)
        #expect(abs(a.capacity - 47.5) < 1e-12)
        #expect(a.governing == .capacity)
        #expect(a.category == .moderate)
    }

    @Test("Sample households match the reference table of Examples/Data/README.md")
    func sampleHouseholds() throws {
        let young = try q.assess(GoalsTestSupport.youngAnswers)
        #expect(abs(young.willingness - 73) < 1e-9 && abs(young.capacity - 83.75) < 1e-9)
        #expect(young.governing == .willingness && young.category == .moderatelyAggressive)
        let couple = try q.assess(QuestionnaireAnswers(GoalsTestSupport.coupleAnswers, questionnaireID: "folio-default"))
        #expect(abs(couple.willingness - 65) < 1e-9 && abs(couple.capacity - 85) < 1e-9)
        #expect(couple.governing == .willingness && couple.category == .moderatelyAggressive)
        let retiree = try q.assess(GoalsTestSupport.retireeAnswers)
        #expect(abs(retiree.willingness - 49) < 1e-9 && abs(retiree.capacity - 37.5) < 1e-9)
        #expect(retiree.governing == .capacity && retiree.category == .moderatelyConservative)
    }

    @Test("The capacity bound applies: an eager client with little capacity is held to capacity")
    func capacityBound() throws {
        var answers = GoalsTestSupport.extremeAnswers(highest: true)
        answers["time-until-withdrawals"] = "a"  // within 3 years
        answers["annual-withdrawal-rate"] = "a"  // more than 6% a year
        let a = try q.assess(answers)
        // capacity: (3*0 + 2*10 + 1*10 + 2*0) / 80 * 100 = 37.5
        #expect(abs(a.capacity - 37.5) < 1e-12)
        #expect(a.willingnessCategory == .aggressive)
        #expect(a.capacityCategory == .moderatelyConservative)
        #expect(a.governing == .capacity)
        #expect(a.category == .moderatelyConservative)
        #expect(a.explanation.hasPrefix("Capacity governs"))
    }

    @Test("Category thresholds: the last whose minimum is at most the score")
    func thresholds() {
        #expect(q.category(forScore: 0) == .conservative)
        #expect(q.category(forScore: 19.999) == .conservative)
        #expect(q.category(forScore: 20) == .moderatelyConservative)
        #expect(q.category(forScore: 60) == .moderatelyAggressive)
        #expect(q.category(forScore: 79.99) == .moderatelyAggressive)
        #expect(q.category(forScore: 100) == .aggressive)
    }

    @Test("Unanswered, unknown question, unknown answer and wrong questionnaire throw, naming the question")
    func errors() {
        var answers = GoalsTestSupport.coupleAnswers
        answers["coin-flip"] = nil
        #expect(throws: RiskToleranceError.unanswered(questionID: "coin-flip")) { try q.assess(answers) }
        answers["coin-flip"] = "z"
        #expect(throws: RiskToleranceError.unknownAnswer(questionID: "coin-flip", answerID: "z")) { try q.assess(answers) }
        answers["coin-flip"] = "a"
        answers["favourite-colour"] = "blue"
        #expect(throws: RiskToleranceError.unknownQuestion(questionID: "favourite-colour")) { try q.assess(answers) }
        #expect(throws: RiskToleranceError.questionnaireMismatch(expected: "folio-default", found: "other")) {
            try q.assess(QuestionnaireAnswers(GoalsTestSupport.coupleAnswers, questionnaireID: "other"))
        }
    }

    @Test("A malformed questionnaire throws")
    func malformed() {
        var bad = q
        bad.questions[0].weight = 0
        #expect(throws: RiskToleranceError.self) { try bad.validate() }
        bad = q
        bad.questions.removeAll { $0.dimension == .capacity }
        #expect(throws: RiskToleranceError.invalidQuestionnaire(id: "folio-default", detail: "no capacity question")) {
            try bad.validate()
        }
    }

    @Test("Codable round trip of the questionnaire")
    func codable() throws {
        let data = try JSONEncoder().encode(q)
        #expect(try JSONDecoder().decode(Questionnaire.self, from: data) == q)
    }
}
