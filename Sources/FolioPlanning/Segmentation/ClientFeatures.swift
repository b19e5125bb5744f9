/// A clients-by-features table of numbers: one row per client, one column per feature
/// (age, horizon, income, risk scores, equity share...), stored row-major so that each
/// client's features are contiguous.
public struct ClientFeatures: Sendable, Hashable, Codable {
    /// The number of clients (rows).
    public let clientCount: Int
    /// The number of features (columns).
    public let featureCount: Int
    /// The values, row-major: client `i`, feature `j` is at `i * featureCount + j`.
    public let values: [Double]

    /// A table from row-major values.
    /// - Precondition: `rowMajor.count == clientCount * featureCount`.
    public init(clientCount: Int, featureCount: Int, rowMajor: [Double]) {
        precondition(clientCount >= 0 && featureCount >= 0 && rowMajor.count == clientCount * featureCount,
                     "Values do not match the shape")
        self.clientCount = clientCount
        self.featureCount = featureCount
        self.values = rowMajor
    }

    /// A table from one array per client.
    /// - Precondition: every row has the same length.
    public init(rows: [[Double]]) {
        let d = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == d }, "Rows differ in length")
        self.init(clientCount: rows.count, featureCount: d, rowMajor: rows.flatMap { $0 })
    }

    /// Client `i`'s features.
    public func client(_ i: Int) -> ArraySlice<Double> {
        values[(i * featureCount)..<((i + 1) * featureCount)]
    }

    /// Feature `j` over every client.
    /// - Complexity: O(n).
    public func feature(_ j: Int) -> [Double] {
        (0..<clientCount).map { values[$0 * featureCount + j] }
    }

    /// The clients at `indices`, in that order.
    public func clients(_ indices: [Int]) -> ClientFeatures {
        var out = [Double]()
        out.reserveCapacity(indices.count * featureCount)
        for i in indices { out.append(contentsOf: client(i)) }
        return ClientFeatures(clientCount: indices.count, featureCount: featureCount, rowMajor: out)
    }
}
