import Foundation
import Testing
@testable import FolioPlanning
import FolioRebalancing

@Suite("Goals: schedules and required returns")
struct GoalTests {
    let asOf = GoalsTestSupport.date(2025, 12, 31)

    @Test("Monthly contributions with annual growth land at month ends; today's money grows with inflation")
    func schedule() throws {
        let goal = Goal(
            name: "Retirement", targetAmount: 1_000_000, amountBasis: .today, targetDate: GoalsTestSupport.date(2035, 12, 31),
            priority: .need, setAside: 100_000,
            contributions: PlannedCashFlow(amount: 1_000, frequency: .monthly, annualGrowth: 0.03))
        let s = try goal.schedule(asOf: asOf, inflation: 0.025)
        #expect(s.months == 120)
        #expect(s.initialBalance == 100_000)
        #expect(s.monthlyFlows[0] == 1_000 && s.monthlyFlows[11] == 1_000)
        #expect(abs(s.monthlyFlows[12] - 1_030) < 1e-9)
        #expect(abs(s.monthlyFlows[119] - 1_000 * pow(1.03, 9)) < 1e-9)
        #expect(abs(s.targetAmount - 1_000_000 * pow(1.025, 10)) < 1e-6)
    }

    @Test("Quarterly withdrawals are negative and stop at the end date")
    func withdrawals() throws {
        let goal = Goal(
            name: "Income", targetAmount: 1, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2027, 12, 31),
            priority: .need, setAside: 50_000,
            withdrawals: PlannedCashFlow(amount: 2_000, frequency: .quarterly, endDate: GoalsTestSupport.date(2026, 12, 31)))
        let s = try goal.schedule(asOf: asOf, inflation: 0.02)
        #expect(s.months == 24)
        #expect(s.monthlyFlows.filter { $0 != 0 } == [-2_000, -2_000, -2_000, -2_000])
        #expect(s.monthlyFlows[2] == -2_000 && s.monthlyFlows[11] == -2_000 && s.targetAmount == 1)
    }

    @Test("Required return without flows equals the closed form (G/S)^(1/T) - 1")
    func requiredReturnClosedForm() throws {
        let goal = Goal(name: "House", targetAmount: 150_000, amountBasis: .nominal,
                        targetDate: GoalsTestSupport.date(2033, 12, 31), priority: .want, setAside: 100_000)
        let s = try goal.schedule(asOf: asOf, inflation: 0.025)
        let r = s.requiredAnnualReturn()
        #expect(r.status == .solved)
        let exact = pow(1.5, 1.0 / 8) - 1
        #expect(abs(r.annualReturn! - exact) < 1e-13)
    }

    @Test("Required return with contributions reproduces the target to 1e-9 relative")
    func requiredReturnWithFlows() throws {
        let goal = Goal(
            name: "Retirement", targetAmount: 1_800_000, amountBasis: .today, targetDate: GoalsTestSupport.date(2061, 6, 30),
            priority: .need, setAside: 58_000, contributions: PlannedCashFlow(amount: 1_000, frequency: .monthly, annualGrowth: 0.03))
        let s = try goal.schedule(asOf: asOf, inflation: 0.025)
        let r = s.requiredAnnualReturn()
        #expect(r.status == .solved)
        let fv = s.futureValue(annualReturn: r.annualReturn!)
        #expect(abs(fv - s.targetAmount) / s.targetAmount < 1e-9)
        #expect(s.futureValue(annualReturn: r.annualReturn! - 1e-6) < s.targetAmount)
    }

    @Test("Unreachable and already-funded goals are reported, not solved")
    func edgeStatuses() throws {
        let tiny = try Goal(name: "Moon", targetAmount: 1e12, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2027, 1, 1),
                            priority: .wish, setAside: 1).schedule(asOf: asOf, inflation: 0)
        #expect(tiny.requiredAnnualReturn().status == .unreachable)
        let funded = try Goal(name: "Done", targetAmount: 100, amountBasis: .nominal, targetDate: GoalsTestSupport.date(2027, 1, 1),
                              priority: .wish, contributions: .init(amount: 1_000, frequency: .monthly)).schedule(asOf: asOf, inflation: 0)
        #expect(funded.requiredAnnualReturn().status == .reachedAtAnyReturn)
    }

    @Test("Bad goals throw, naming the goal")
    func errors() {
        let past = Goal(name: "Late", targetAmount: 1, targetDate: GoalsTestSupport.date(2020, 1, 1), priority: .need)
        #expect(throws: GoalError.targetDateNotInFuture(goal: "Late")) { try past.schedule(asOf: asOf, inflation: 0.02) }
        let zero = Goal(name: "Zero", targetAmount: 0, targetDate: GoalsTestSupport.date(2030, 1, 1), priority: .need)
        #expect(throws: GoalError.nonPositiveTarget(goal: "Zero")) { try zero.schedule(asOf: asOf, inflation: 0.02) }
        #expect(throws: GoalError.invalidReturnModel(detail: "volatility -0.1 must be finite and not negative")) {
            try LognormalReturnModel(expectedReturn: 0.05, volatility: -0.1)
        }
    }
}
