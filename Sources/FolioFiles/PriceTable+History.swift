import FolioLinearAlgebra
import FolioRisk

extension PriceTable {
    /// The table as a `PriceHistory` for the risk models: dates x symbols, missing prices as
    /// NaN (the risk model then drops incomplete rows or throws, as asked — never imputes).
    ///
    /// - Throws: `RiskModelError` for fewer than two dates (other checks were done reading).
    /// - Complexity: O(dates × symbols).
    public func priceHistory() throws(RiskModelError) -> PriceHistory {
        let t = dates.count, n = symbols.count
        var values = [Double](repeating: .nan, count: t * n)
        for s in 0..<n {
            for d in 0..<t { if let p = prices[s][d] { values[d + s * t] = p } }
        }
        let marketDates = dates.map { MarketDate(iso: ISODate.format($0))! }
        return try PriceHistory(dates: marketDates, assets: symbols, prices: Matrix(rows: t, columns: n, columnMajor: values))
    }
}
