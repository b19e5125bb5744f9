import Foundation
import Testing
import FolioFiles
import FolioRebalancing

@Suite struct PolicyReaderTests {
    @Test(arguments: SampleDataTests.households)
    func samplePoliciesLoad(household: String) throws {
        let file = try PolicyReader.read(contentsOf: SampleDataTests.data.appendingPathComponent("households/\(household)/policy.yaml"))
        _ = try Rebalancer(securities: [], policy: file.policy)
    }

    @Test func coupleSettings() throws {
        let file = try PolicyReader.read(contentsOf: SampleDataTests.data.appendingPathComponent("households/couple/policy.yaml"))
        #expect(file.policy.trigger == .calendarOrBands(.quarterly))
        #expect(file.policy.bands == .fiveTwentyFive)
        #expect(file.policy.cashReserve == .amountOrPercent(amount: 1000, percent: 0.005))
        #expect(file.policy.lotMethod == .taxMinimizing)
        #expect(file.policy.taxBudget == 15000)
        #expect(file.policy.recentTransactions.count == 2)
        #expect(file.policy.recentTransactions[0].realizedGain == Decimal(string: "-2169.60"))
        #expect(file.policy.taxLossHarvesting == .init(minimumLoss: 1000, minimumLossPercent: 0.05))
        #expect(file.restrictions.count == 2 && file.restrictions[1].account == nil)
        #expect(file.assetLocation[.taxDeferred]?.first == "us-aggregate-bond")
    }

    @Test func retireeFlowsGoToTheirAccounts() throws {
        let file = try PolicyReader.read(contentsOf: SampleDataTests.data.appendingPathComponent("households/retiree/policy.yaml"))
        #expect(file.context(for: ["Z93-771508", "other"]).cashFlows["Z93-771508"] == -42000)
        #expect(file.policy.commissionPerTrade == Decimal(string: "4.95"))
    }

    @Test func defaultsAndBothTrigger() throws {
        let empty = try PolicyReader.parse("", file: "p.yaml")
        // Taxable accounts sell tax-minimizing by default; no tax rates unless given.
        #expect(empty.policy.trigger == .always && empty.policy.lotMethod == .taxMinimizing)
        #expect(empty.policy.shortTermTaxRate == nil && empty.policy.longTermTaxRate == nil && !empty.setsTaxRates)
        let both = try PolicyReader.parse("trigger: both\ncalendar: {frequency: annual}\n", file: "p.yaml")
        #expect(both.policy.trigger == .calendarAndBands(.annual))
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let text = """
        trigger: sometimes
        bands:
          absolute: 5%
        min_trde: 10
        taxes:
          lot_method: random
        """
        do {
            _ = try PolicyReader.parse(text, file: "p.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.issues.count == 4, "\(error)")
            #expect(error.issues.map(\.location.line).sorted() == [1, 3, 4, 6])
            #expect(error.description.contains("p.yaml:4:1"))
        }
    }
}
