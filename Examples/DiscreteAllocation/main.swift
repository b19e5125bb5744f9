// A $250,000 portfolio into whole shares: greedy and minimum-deviation methods.
//
//     swift run DiscreteAllocation
import Foundation
import FolioOptimization

let tickers = ["VTI", "VEA", "VWO", "BND", "BNDX", "VNQ", "GLD", "BRK.B", "NVR"]
let weights = [0.30, 0.15, 0.08, 0.20, 0.10, 0.05, 0.05, 0.05, 0.02]
let prices: [Decimal] = ["289.41", "51.87", "44.12", "72.65", "48.93", "88.20", "241.77", "455.10", "7912.35"]
    .map { Decimal(string: $0)! }
let value: Decimal = 250_000

do {
    let plan = DiscreteAllocation(weights: weights, prices: prices, portfolioValue: value)
    for (name, result) in [("Greedy", try plan.greedy()), ("Minimum deviation", try plan.minimizingDeviation())] {
        print("\(name):")
        print("ticker     shares      price        value   target  achieved")
        for i in tickers.indices {
            let held = result.quantities[i] * prices[i]
            print([tickers[i].padding(toLength: 6, withPad: " ", startingAt: 0),
                   "\(result.quantities[i])".leftPadded(10),
                   money(prices[i]).leftPadded(10),
                   money(held).leftPadded(12),
                   String(format: "%7.2f%%", 100 * weights[i]),
                   String(format: "%8.2f%%", 100 * result.achievedWeights[i])].joined(separator: " "))
        }
        print("invested \(money(result.invested)), leftover cash \(money(result.leftover))")
        print(String(format: "total absolute deviation %.4f%%", 100 * result.deviation)
              + (result.isProvenOptimal ? " (proven optimal)\n" : "\n"))
    }
} catch {
    print("error: \(error)")
    exit(1)
}

/// Two decimals for display (the amounts themselves are exact `Decimal`s).
func money(_ amount: Decimal) -> String {
    var value = amount, rounded = Decimal()
    NSDecimalRound(&rounded, &value, 2, .plain)
    let text = "\(rounded)"
    guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
    let decimals = text.distance(from: dot, to: text.endIndex) - 1
    return text + String(repeating: "0", count: max(0, 2 - decimals))
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
