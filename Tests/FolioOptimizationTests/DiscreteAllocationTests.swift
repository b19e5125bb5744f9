import Foundation
import Testing
@testable import FolioOptimization

private struct DiscreteFixture: Decodable {
    struct Case: Decodable {
        let weights: [Double]
        let prices: [String]
        let value: String
        let greedy: [Int]
        let greedyLeftover: Double
        let lp: [Int]
        let lpDeviation: Double
    }
    let cases: [Case]
}

@Suite("Discrete allocation")
struct DiscreteAllocationTests {
    private func problem(_ c: DiscreteFixture.Case) -> DiscreteAllocation {
        DiscreteAllocation(weights: c.weights, prices: c.prices.map { Decimal(string: $0)! }, portfolioValue: Decimal(string: c.value)!)
    }

    @Test("greedy matches PyPortfolioOpt greedy_portfolio share for share")
    func goldenGreedy() throws {
        let f = try allocationFixture("discrete.json", as: DiscreteFixture.self)
        for c in f.cases {
            let result = try problem(c).greedy()
            #expect(result.units == c.greedy)
            #expect(abs(NSDecimalNumber(decimal: result.leftover).doubleValue - c.greedyLeftover) < 1e-6)
        }
    }

    @Test("exact method is never worse than PyPortfolioOpt lp_portfolio")
    func goldenExact() throws {
        let f = try allocationFixture("discrete.json", as: DiscreteFixture.self)
        for c in f.cases {
            let result = try problem(c).minimizingDeviation()
            #expect(result.deviation <= c.lpDeviation + 1e-12, "\(result.deviation) vs lp \(c.lpDeviation)")
            #expect(result.leftover >= 0)
            let greedy = try problem(c).greedy()
            #expect(result.deviation <= greedy.deviation + 1e-12)
        }
    }

    @Test("small cases: branch and bound equals brute force")
    func bruteForce() throws {
        var random = AllocationTestRandom(seed: 11)
        for _ in 0..<20 {
            let n = Int.random(in: 2...4, using: &random)
            var w = (0..<n).map { _ in Double.random(in: 0.05...1, using: &random) }
            w = w.map { $0 / w.reduce(0, +) }
            let prices = (0..<n).map { _ in Decimal(Int.random(in: 500...40_000, using: &random)) / 100 }
            let value = Decimal(Int.random(in: 300...2_000, using: &random))
            let plan = DiscreteAllocation(weights: w, prices: prices, portfolioValue: value)
            let result = try plan.minimizingDeviation()
            #expect(result.isProvenOptimal)
            // Enumerate every affordable allocation.
            let v = NSDecimalNumber(decimal: value).doubleValue
            let p = prices.map { NSDecimalNumber(decimal: $0).doubleValue }
            var best = Double.infinity
            func walk(_ i: Int, _ spent: Double, _ dev: Double) {
                if i == n { best = min(best, (dev + v - spent) / v); return }
                var x = 0
                while spent + Double(x) * p[i] <= v + 1e-9 {
                    walk(i + 1, spent + Double(x) * p[i], dev + abs(w[i] * v - Double(x) * p[i]))
                    x += 1
                }
            }
            walk(0, 0, 0)
            #expect(abs(result.deviation - best) < 1e-9)
        }
    }

    @Test("never spends more than the value; lots and fractional shares", arguments: [1, 2, 3])
    func propertyNeverOverspends(seed: UInt64) throws {
        var random = AllocationTestRandom(seed: seed)
        for _ in 0..<15 {
            let n = Int.random(in: 1...40, using: &random)
            var w = (0..<n).map { _ in Double.random(in: 0...1, using: &random) }
            w[0] += 0.01
            w = w.map { $0 / w.reduce(0, +) }
            let prices = (0..<n).map { _ in Decimal(Int.random(in: 100...200_000, using: &random)) / 100 }
            let increments = (0..<n).map { _ in [Decimal(1), Decimal(100), Decimal(string: "0.001")!][Int.random(in: 0...2, using: &random)] }
            let value = Decimal(Int.random(in: 1_000...2_000_000, using: &random)) + Decimal(string: "0.37")!
            let plan = DiscreteAllocation(weights: w, prices: prices, portfolioValue: value, increments: increments)
            for result in [try plan.greedy(), try plan.minimizingDeviation(nodeLimit: 50_000)] {
                #expect(result.leftover >= 0)
                #expect(result.invested + result.leftover == value)
                var spent = Decimal(0)
                for i in 0..<n {
                    #expect(result.quantities[i] == Decimal(result.units[i]) * increments[i])
                    spent += result.quantities[i] * prices[i]
                }
                #expect(spent == result.invested)
                #expect(result.deviation >= 0 && result.deviation <= 2)
            }
        }
    }

    @Test("rejects bad input")
    func errors() {
        #expect(throws: AllocationError.invalidPortfolioValue(0)) {
            try DiscreteAllocation(weights: [1], prices: [10], portfolioValue: 0).greedy()
        }
        #expect(throws: AllocationError.invalidWeight(asset: 1, weight: -0.1)) {
            try DiscreteAllocation(weights: [1.1, -0.1], prices: [10, 10], portfolioValue: 100).greedy()
        }
        #expect(throws: AllocationError.invalidPrice(asset: 0, price: 0)) {
            try DiscreteAllocation(weights: [1], prices: [0], portfolioValue: 100).minimizingDeviation()
        }
        #expect(throws: AllocationError.weightsSumToZero) {
            try DiscreteAllocation(weights: [0, 0], prices: [1, 1], portfolioValue: 100).greedy()
        }
    }
}
