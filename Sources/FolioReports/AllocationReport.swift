import Foundation
import FolioOptimization

/// A whole-share allocation for the terminal, JSON and a trades CSV: shares per symbol, the
/// money spent and left over (exact), and how far it lands from the target weights.
public struct AllocationReport: Sendable {
    /// The method in words (`greedy`, `exact`).
    public var method: String
    /// The symbols, in the weights' order.
    public var symbols: [String]
    /// The target weights, one per symbol.
    public var targetWeights: [Double]
    /// The latest price per share, one per symbol.
    public var prices: [Decimal]
    /// The money allocated.
    public var budget: Decimal
    /// The allocation.
    public var result: DiscreteAllocationResult

    /// A report of `result`.
    ///
    /// - Precondition: one weight and price per symbol, and as many in `result`.
    /// - Complexity: O(1).
    public init(method: String, symbols: [String], targetWeights: [Double], prices: [Decimal], budget: Decimal,
                result: DiscreteAllocationResult) {
        precondition(targetWeights.count == symbols.count && prices.count == symbols.count && result.quantities.count == symbols.count,
                     "One weight, price and quantity per symbol")
        self.method = method
        self.symbols = symbols
        self.targetWeights = targetWeights
        self.prices = prices
        self.budget = budget
        self.result = result
    }

    /// The value bought of symbol `i`, quantity × price (exact).
    ///
    /// - Complexity: O(1).
    public func value(_ i: Int) -> Decimal { result.quantities[i] * prices[i] }

    /// Achieved weights by symbol with the leftover as `CASH` (they sum to 1): a targets file's
    /// content.
    ///
    /// - Complexity: O(n).
    public var achievedTargets: [(symbol: String, weight: Double)] {
        let cash = NSDecimalNumber(decimal: result.leftover / budget).doubleValue
        return symbols.indices.filter { result.quantities[$0] > 0 }.map { (symbols[$0], result.achievedWeights[$0]) }
            + (result.leftover > 0 ? [("CASH", cash)] : [])
    }

    /// The terminal text: one row per symbol bought, then invested, leftover and deviation.
    ///
    /// - Complexity: O(n).
    public func table(width: Int = 100) -> String {
        var table = TextTable(columns: [.init("Symbol"), .init("Shares", .right), .init("Price", .right), .init("Value", .right),
                                        .init("Target", .right), .init("Achieved", .right)])
        for i in symbols.indices where result.quantities[i] > 0 || targetWeights[i] > 0 {
            table.append([symbols[i], ReportFormat.quantity(result.quantities[i]), ReportFormat.price(prices[i]), ReportFormat.money(value(i)),
                          ReportFormat.percent(targetWeights[i]), ReportFormat.percent(result.achievedWeights[i])])
        }
        var out = "Whole shares for \(ReportFormat.money(budget)) (\(method)\(result.isProvenOptimal ? ", proven optimal" : ""))\n\n"
        out += table.render(maxWidth: width) + "\n"
        out += "invested \(ReportFormat.money(result.invested))  leftover cash \(ReportFormat.money(result.leftover))  "
            + String(format: "deviation %.4f (sum of |target - achieved| + leftover share)\n", result.deviation)
        return out
    }

    /// The JSON document: `method`, `budget`, `invested`, `leftover` (exact money),
    /// `deviation`, `isProvenOptimal`, and `lines` (symbol, shares, price, value,
    /// targetWeight, achievedWeight) in the weights' order.
    ///
    /// - Complexity: O(n).
    public func json() throws -> Data {
        struct Line: Encodable {
            var symbol: String, shares, price, value: Decimal, targetWeight, achievedWeight: Double
        }
        struct Document: Encodable {
            var method: String, budget, invested, leftover: Decimal, deviation: Double, isProvenOptimal: Bool, lines: [Line]
        }
        return try QuantJSON.encode(Document(
            method: method, budget: budget, invested: result.invested, leftover: result.leftover, deviation: result.deviation,
            isProvenOptimal: result.isProvenOptimal,
            lines: symbols.indices.map { Line(symbol: symbols[$0], shares: result.quantities[$0], price: prices[$0], value: value($0),
                                              targetWeight: targetWeights[$0], achievedWeight: result.achievedWeights[$0]) }))
    }

    /// The trades as CSV (`symbol,side,quantity,price,value`): one buy per symbol with shares.
    ///
    /// - Complexity: O(n).
    public func tradesCSV() -> String {
        CSVWriter.document(header: ["symbol", "side", "quantity", "price", "value"],
                           rows: symbols.indices.filter { result.quantities[$0] > 0 }.map {
                               [symbols[$0], "buy", ReportFormat.quantity(result.quantities[$0]), ReportFormat.exact(prices[$0]),
                                ReportFormat.exact(value($0))]
                           })
    }
}
