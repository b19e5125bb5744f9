extension TargetAllocation {
    /// The symbol a target uses for uninvested cash.
    public static let cashSymbol = "CASH"

    /// Splits the cash line off a target: the weight of `CASH` (a security weight, or an
    /// asset-class sleeve whose primary is `CASH`) and the rest of the target rescaled to sum
    /// to 1 over what is invested.
    ///
    /// The engine holds cash through the policy's reserve, so a target of "5% cash" runs as a
    /// reserve of at least 5% of the account and the other lines as fractions of the rest:
    /// `VTI 0.57, BND 0.38, CASH 0.05` becomes `VTI 0.6, BND 0.4` with a 5% reserve.
    /// A target made only of cash keeps its form and reports a cash weight of 1.
    ///
    /// - Complexity: O(n) in the number of target lines.
    public func separatingCash() -> (invested: TargetAllocation, cashWeight: Double) {
        if isByAssetClass {
            let cash = sleeves.filter { $0.primary == Self.cashSymbol }
            let cashWeight = cash.reduce(0) { $0 + $1.weight }
            guard cashWeight < 1 else { return (self, 1) }
            let rest = sleeves.filter { $0.primary != Self.cashSymbol }.map { sleeve in
                Sleeve(assetClass: sleeve.assetClass, weight: sleeve.weight / (1 - cashWeight),
                       primary: sleeve.primary, alternates: sleeve.alternates.filter { $0 != Self.cashSymbol })
            }
            return (.assetClasses(rest), cashWeight)
        }
        let cashWeight = securityWeights.first { $0.symbol == Self.cashSymbol }?.weight ?? 0
        guard cashWeight < 1 else { return (self, 1) }
        var rest: [String: Double] = [:]
        for line in securityWeights where line.symbol != Self.cashSymbol { rest[line.symbol] = line.weight / (1 - cashWeight) }
        return (.securities(rest), cashWeight)
    }
}

extension RebalancePolicy {
    /// The policy with a cash reserve of at least `fraction` of each account: how a target's
    /// cash line is held (see ``TargetAllocation/separatingCash()``). A fixed reserve amount
    /// stays; a percentage reserve becomes the larger of the two.
    /// - Parameter fraction: The target's cash weight, in `[0, 1)`.
    /// - Returns: The policy itself when `fraction` is 0.
    public func keepingCash(_ fraction: Double) -> RebalancePolicy {
        guard fraction > 0 else { return self }
        var policy = self
        switch cashReserve {
        case .none: policy.cashReserve = .percent(fraction)
        case .amount(let a): policy.cashReserve = .amountOrPercent(amount: a, percent: fraction)
        case .percent(let p): policy.cashReserve = .percent(max(p, fraction))
        case .amountOrPercent(let a, let p): policy.cashReserve = .amountOrPercent(amount: a, percent: max(p, fraction))
        }
        return policy
    }
}
