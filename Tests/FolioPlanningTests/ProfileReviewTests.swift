import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

@Suite struct ProfileReviewTests {
    typealias S = GoalsTestSupport

    static func answers(_ base: [String: String], _ changes: [String: String] = [:]) -> QuestionnaireAnswers {
        QuestionnaireAnswers(base.merging(changes) { _, new in new })
    }

    @Test func breakdownRecomputesTheScores() throws {
        for base in [S.coupleAnswers, S.retireeAnswers, S.youngAnswers, S.extremeAnswers(highest: true), S.extremeAnswers(highest: false)] {
            let review = try ProfileReview(Self.answers(base))
            #expect(review.breakdown.map(\.questionID) == Questionnaire.standard.questions.map(\.id))
            for row in review.breakdown {
                let q = try #require(Questionnaire.standard.question(row.questionID))
                #expect(row.answerID == base[row.questionID] && row.points == q.answer(row.answerID)!.score)
                #expect(row.dimension == q.dimension && row.weight == q.weight && row.question == q.text)
                #expect(row.maximumPoints == q.answers.map(\.score).max())
            }
            // The contributions of each dimension add up to its score.
            let w = review.breakdown.filter { $0.dimension == .willingness }.reduce(0) { $0 + $1.contribution }
            let c = review.breakdown.filter { $0.dimension == .capacity }.reduce(0) { $0 + $1.contribution }
            #expect(abs(w - review.assessment.willingness) < 1e-9 && abs(c - review.assessment.capacity) < 1e-9)
        }
    }

    @Test func consistentAnswersRaiseNoFlag() throws {
        for base in [S.coupleAnswers, S.youngAnswers] {
            let review = try ProfileReview(Self.answers(base))
            #expect(review.flags.isEmpty, "\(review.flags)")
            #expect(review.horizonCap == nil && review.category == review.assessment.category)
        }
        // The retiree takes the sure $2,000 after many years of investing: experience is a fact,
        // not an attitude, so no extremes flag.
        #expect(try ProfileReview(Self.answers(S.retireeAnswers)).flags.isEmpty)
    }

    @Test func wideGapIsFlaggedWithTheQuestionsBehindIt() throws {
        // Most risky attitude, least capacity: a gap of about 97 points.
        var given = S.extremeAnswers(highest: true)
        for q in Questionnaire.standard.questions where q.dimension == .capacity { given[q.id] = q.answers.min { $0.score < $1.score }!.id }
        let review = try ProfileReview(Self.answers(given))
        let gap = try #require(review.flags.first { $0.kind == .willingnessCapacityGap })
        #expect(review.assessment.willingness - review.assessment.capacity >= 90)
        #expect(gap.message.contains("points apart") && gap.message.contains("capacity"))
        // Every willingness answer is at 7 points or more and every capacity one at 3 or less.
        #expect(gap.questions == Questionnaire.standard.questions.map(\.id))
        // The threshold is inclusive and the gap is measured on the scores.
        let gapValue = review.assessment.willingness - review.assessment.capacity
        #expect(try ProfileReview(Self.answers(given), checks: ProfileChecks(gapThreshold: gapValue)).flags.contains { $0.kind == .willingnessCapacityGap })
        #expect(try !ProfileReview(Self.answers(given), checks: ProfileChecks(gapThreshold: gapValue + 0.01)).flags.contains { $0.kind == .willingnessCapacityGap })
    }

    @Test func noExperienceWithTheMostRiskyAnswer() throws {
        let review = try ProfileReview(Self.answers(S.coupleAnswers, ["investing-experience": "a", "reaction-to-decline": "d"]))
        let flag = try #require(review.flags.first { $0.rule == "no-experience-highest-risk" })
        #expect(flag.kind == .answerRule && flag.questions == ["reaction-to-decline", "investing-experience"])
        #expect(flag.message.contains("No experience"))
        // The same pair is not flagged twice as extremes.
        #expect(!review.flags.contains { $0.kind == .contradictoryAnswers })
        // With experience, no flag.
        #expect(try ProfileReview(Self.answers(S.coupleAnswers, ["reaction-to-decline": "d"])).flags.isEmpty)
    }

    @Test func extremesAndNamedPairs() throws {
        // Lose sleep over an 8% month, yet want the most growth.
        let extremes = try ProfileReview(Self.answers(S.coupleAnswers, ["checking-habit": "a", "describe-yourself": "e"]))
        let flag = try #require(extremes.flags.first { $0.kind == .contradictoryAnswers })
        #expect(flag.rule == "extremes-willingness" && flag.questions == ["describe-yourself", "checking-habit"])
        let pairs: [(String, [String: String], [String])] = [
            ("relies-on-portfolio-adds-money", ["income-security": "a", "annual-withdrawal-rate": "d"], ["income-security", "annual-withdrawal-rate"]),
            ("withdrawals-soon-none-planned", ["time-until-withdrawals": "a", "annual-withdrawal-rate": "d"], ["time-until-withdrawals", "annual-withdrawal-rate"]),
            ("sell-in-decline-widest-range", ["reaction-to-decline": "a", "range-of-outcomes": "e"], ["reaction-to-decline", "range-of-outcomes"]),
        ]
        for (rule, changes, questions) in pairs {
            let review = try ProfileReview(Self.answers(S.coupleAnswers, changes))
            let flag = try #require(review.flags.first { $0.rule == rule }, "\(rule)")
            #expect(flag.questions == questions)
        }
        // A questionnaire without the rules' questions is reviewed without them.
        let q = Questionnaire(id: "tiny", categories: Questionnaire.standard.categories, questions: [
            .init(id: "w", dimension: .willingness, weight: 1, text: "W?", answers: [.init(id: "x", score: 0, text: "x"), .init(id: "y", score: 10, text: "y")]),
            .init(id: "c", dimension: .capacity, weight: 1, text: "C?", answers: [.init(id: "x", score: 0, text: "x"), .init(id: "y", score: 10, text: "y")]),
        ])
        let tiny = try ProfileReview(QuestionnaireAnswers(["w": "y", "c": "x"]), questionnaire: q)
        #expect(tiny.flags.map(\.kind) == [.willingnessCapacityGap] && tiny.horizonCap == nil)
    }

    @Test func moneyNeededWithinThreeYearsCapsTheCategory() throws {
        // Bold, secure, still saving, but withdrawing within three years.
        var given = S.extremeAnswers(highest: true)
        given["time-until-withdrawals"] = "a"
        let review = try ProfileReview(Self.answers(given))
        #expect(review.assessment.category == .moderatelyAggressive)  // capacity 62.5
        let cap = try #require(review.horizonCap)
        #expect(cap.applied && cap.cap == .moderatelyConservative && cap.scoredCategory == .moderatelyAggressive && cap.years == 3)
        #expect(review.category == .moderatelyConservative)
        #expect(cap.message.contains("capped at moderately conservative") && cap.message.contains("recover"))
        // The retiree's score is already within the cap: stated, not applied.
        let retiree = try ProfileReview(Self.answers(S.retireeAnswers))
        #expect(retiree.horizonCap?.applied == false && retiree.category == retiree.assessment.category)
        // A planning horizon: 2.5 years caps, 3.5 does not.
        let young = try ProfileReview(Self.answers(S.youngAnswers), yearsToNeed: 2.5)
        #expect(young.horizonCap?.trigger == "planning-horizon" && young.category == .moderatelyConservative)
        #expect(try ProfileReview(Self.answers(S.youngAnswers), yearsToNeed: 3.5).horizonCap == nil)
        // Without the rule, the score's category stands.
        #expect(try ProfileReview(Self.answers(given), checks: ProfileChecks()).category == .moderatelyAggressive)
    }

    @Test func reviewIsCodable() throws {
        let review = try ProfileReview(Self.answers(S.extremeAnswers(highest: true), ["time-until-withdrawals": "a"]))
        let again = try JSONDecoder().decode(ProfileReview.self, from: JSONEncoder().encode(review))
        #expect(again == review)
    }
}

@Suite struct TargetFitTests {
    static let models = ModelPortfolios.standard

    @Test func eachModelFitsItsCategory() throws {
        for category in RiskCategory.allCases {
            let target = try Self.models.target(for: category).allocation
            let fit = try TargetFit(target, category: category, models: Self.models, assumptions: .illustrative)
            #expect(fit.fits, "\(category): \(fit.breaches)")
            #expect(abs(fit.equityShare - fit.modelEquityShare) < 1e-12)
        }
    }

    @Test func aggressiveModelBreaksTheConservativeLimits() throws {
        let target = try Self.models.target(for: .aggressive).allocation
        let fit = try TargetFit(target, category: .conservative, models: Self.models, assumptions: .illustrative)
        #expect(!fit.fits)
        let model = Self.models.models[.conservative]!, mine = Self.models.models[.aggressive]!
        // Recompute the class breaches from the two mixes.
        var expected: [String: Double] = [:]
        for info in Self.models.assetClasses {
            let w = mine[info.id] ?? 0, m = model[info.id] ?? 0
            if w > min(1, m + 0.10) + 1e-9 { expected[info.id] = w - min(1, m + 0.10) }
            if w < max(0, m - 0.10) - 1e-9 { expected[info.id] = w - max(0, m - 0.10) }
        }
        let classBreaches = fit.breaches.filter { $0.kind == .classAboveLimit || $0.kind == .classBelowLimit }
        #expect(Dictionary(uniqueKeysWithValues: classBreaches.map { ($0.subject, $0.excess) }).mapValues { ($0 * 1e9).rounded() }
                == expected.mapValues { ($0 * 1e9).rounded() })
        for b in fit.breaches { #expect(abs(b.value - b.limit - b.excess) < 1e-12, "\(b)") }
        let equity = try #require(fit.breaches.first { $0.kind == .equityAboveLimit })
        #expect(abs(equity.limit - (fit.modelEquityShare + 0.05)) < 1e-12 && equity.message.contains("more risk"))
        #expect(fit.breaches.contains { $0.kind == .volatilityAboveBand })
        // The conservative model under an aggressive client: the volatility is only a note.
        let timid = try TargetFit(try Self.models.target(for: .conservative).allocation, category: .aggressive, models: Self.models, assumptions: .illustrative)
        #expect(!timid.breaches.contains { $0.kind == .volatilityAboveBand || $0.kind == .equityAboveLimit })
        #expect(timid.notes.contains { $0.contains("below") })
    }

    @Test func securitiesMapToTheirClassByFundOrAlternate() throws {
        let fit = try TargetFit(.securities(["FUSLC": 0.5, "fustm": 0.3, "CASH": 0.2]), category: .aggressive, models: Self.models)
        #expect(fit.classWeights == ["us-large-cap": 0.8, "cash": 0.2])
        #expect(fit.volatility == nil)
        #expect(fit.breaches.contains { $0.subject == "us-large-cap" && $0.kind == .classAboveLimit })
        #expect(fit.breaches.contains { $0.subject == "cash" && $0.kind == .classAboveLimit })
    }

    @Test func unknownClassesAndSymbolsAreNamed() throws {
        #expect(throws: TargetFitError.unknown([.symbol("NOPE")], known: Self.models.assetClasses.map(\.id))) {
            try TargetFit(.securities(["FUSLC": 0.5, "NOPE": 0.5]), category: .moderate, models: Self.models)
        }
        let sleeves = TargetAllocation.assetClasses([.init(assetClass: "<b>crypto</b>", weight: 0.5, primary: "X"),
                                                     .init(assetClass: "=1+1", weight: 0.5, primary: "Y")])
        do {
            _ = try TargetFit(sleeves, category: .moderate, models: Self.models)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("'<b>crypto</b>'") && error.description.contains("'=1+1'"))
        }
        // A class id written in NFD matches the models' NFC id.
        var models = Self.models
        models.assetClasses[0].id = "us-l\u{e9}rge"
        models.models = models.models.mapValues { mix in Dictionary(uniqueKeysWithValues: mix.map { ($0.key == "us-large-cap" ? "us-l\u{e9}rge" : $0.key, $0.value) }) }
        let nfd = TargetAllocation.assetClasses(try models.target(for: .moderate).allocation.sleeves.map {
            var s = $0; if s.assetClass == "us-l\u{e9}rge" { s.assetClass = "us-le\u{301}rge" }; return s
        })
        #expect(try TargetFit(nfd, category: .moderate, models: models).fits)
    }
}
