import Foundation
import Testing
import FolioFiles
import FolioPlanning
import FolioRebalancing

@Suite struct ClientReaderTests {
    @Test func bundledQuestionnaireFileEqualsTheBuiltInDefault() throws {
        let file = try ClientReader.questionnaire(contentsOf: SampleDataTests.data.appendingPathComponent("questionnaire.yaml"))
        #expect(file == Questionnaire.standard)
    }

    @Test(arguments: [("young-accumulator", RiskCategory.moderatelyAggressive), ("couple", .moderatelyAggressive),
                      ("retiree", .moderatelyConservative)])
    func sampleProfilesScoreAsDocumented(household: String, category: RiskCategory) throws {
        let files = try ClientReader.profile(contentsOf: SampleDataTests.data.appendingPathComponent("households/\(household)/profile.yaml"))
        let assessment = try files.questionnaire.assess(try #require(files.profile.answers))
        #expect(assessment.category == category)
        #expect(!(files.profile.goals?.goals.isEmpty ?? true))
    }

    @Test func badAnswersAndGoalsNameTheirPlace() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let goals = folder.appendingPathComponent("goals.yaml")
        try "goals:\n  - name: House\n    target_amount: lots\n    target_date: \"2030-01-01\"\n    priority: urgent\n"
            .write(to: goals, atomically: true, encoding: .utf8)
        do {
            _ = try ClientReader.goals(contentsOf: goals)
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.location.line) == [3, 5], "\(error)")
        }
        let answers = folder.appendingPathComponent("answers.yaml")
        try "answers:\n  reaction-to-decline: z\n".write(to: answers, atomically: true, encoding: .utf8)
        let given = try ClientReader.answers(contentsOf: answers)
        #expect(throws: RiskToleranceError.self) { try Questionnaire.standard.assess(given) }
    }
}
