import Foundation
import Testing
import FolioFiles
import FolioRebalancing

/// The bundled sample data (Examples/Data) loads exactly as documented.
@Suite struct SampleDataTests {
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/Data")
    static let households = ["young-accumulator", "couple", "retiree"]

    @Test(arguments: households)
    func holdingsLoad(household: String) throws {
        let holdings = try HoldingsReader.read(contentsOf: Self.data.appendingPathComponent("households/\(household)/holdings.csv"))
        #expect(!holdings.accounts.isEmpty)
        #expect(holdings.accounts.allSatisfy { !$0.positions.isEmpty && $0.cash != 0 })
        #expect(holdings.skippedLines.count >= 1)  // the Total row
        for account in holdings.accounts {
            for position in account.positions {
                #expect(holdings.prices[position.symbol] != nil)
                #expect(holdings.assetClasses[position.symbol] != nil)
            }
        }
    }

    @Test func coupleHasThreeKindsOfAccountAndManyLots() throws {
        let holdings = try HoldingsReader.read(contentsOf: Self.data.appendingPathComponent("households/couple/holdings.csv"))
        #expect(holdings.accounts.map(\.kind) == [.taxable, .taxDeferred, .taxExempt])
        #expect(holdings.accounts.flatMap(\.positions).flatMap(\.lots).count == 83)
        #expect(holdings.prices["ACMEX"] == Decimal(string: "1185.29"))
    }

    @Test(arguments: households)
    func targetsLoad(household: String) throws {
        let target = try TargetsReader.read(contentsOf: Self.data.appendingPathComponent("households/\(household)/targets.yaml"))
        try Rebalancer.validate(target)
    }

    @Test func pricesLoad() throws {
        let prices = try PricesReader.read(contentsOf: Self.data.appendingPathComponent("prices.csv"))
        #expect(prices.dates.count == 2608)
        #expect(prices.symbols.count == 45)
        #expect(prices.prices.allSatisfy { $0.allSatisfy { $0 != nil } })
        let holdings = try HoldingsReader.read(contentsOf: Self.data.appendingPathComponent("households/couple/holdings.csv"))
        for (symbol, price) in holdings.prices { #expect(prices.latest[symbol] == price, "\(symbol)") }
    }
}
