/// Data that cannot be segmented. Each case names what is wrong and where.
public enum SegmentationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer clients than groups asked for (each group needs at least one client).
    case tooFewClients(clients: Int, groups: Int)
    /// A feature value is NaN or infinite: `client` is the zero-based row, `feature` the column.
    case nonFiniteValue(client: Int, feature: Int)
    /// A feature has the same value for every client, so it cannot be scaled.
    case constantFeature(feature: Int)
    /// A mixture component's covariance is not positive definite even after regularisation.
    case degenerateComponent(component: Int)
    /// The initial parameters given do not match the data (`detail` says how).
    case invalidInitialization(detail: String)

    /// One line for an advisor or a log, naming the client row or feature.
    public var description: String {
        switch self {
        case .tooFewClients(let clients, let groups):
            "\(clients) clients cannot be divided into \(groups) groups"
        case .nonFiniteValue(let client, let feature):
            "client row \(client + 1), feature \(feature + 1): value is not a finite number"
        case .constantFeature(let feature):
            "feature \(feature + 1) has the same value for every client, so it cannot separate groups"
        case .degenerateComponent(let component):
            "mixture component \(component + 1) collapsed (its covariance is not positive definite); use fewer groups or a larger regularisation"
        case .invalidInitialization(let detail):
            "initial parameters do not fit the data: \(detail)"
        }
    }
}
