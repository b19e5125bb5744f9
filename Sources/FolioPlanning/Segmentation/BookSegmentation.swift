import FolioLinearAlgebra
import FolioRebalancing

/// One client of an advisor's book, as segmentation sees it.
public struct BookClient: Sendable, Hashable, Codable {
    /// The client's id in the firm's records.
    public var id: String
    /// Feature values, in the order of the book's `featureNames`.
    public var features: [Double]
    /// The client's risk category from their profile, when known.
    public var riskCategory: RiskCategory?
    /// The model portfolio the client holds, when known.
    public var model: String?

    /// A client from its parts.
    public init(id: String, features: [Double], riskCategory: RiskCategory? = nil, model: String? = nil) {
        self.id = id
        self.features = features
        self.riskCategory = riskCategory
        self.model = model
    }
}

/// A firm's book of clients: the features to cluster on and one row per client.
public struct ClientBook: Sendable, Hashable, Codable {
    /// Names of the features (e.g. `age`, `equity_share`), one per column.
    public var featureNames: [String]
    /// The clients.
    public var clients: [BookClient]

    /// A book from its parts.
    /// - Precondition: every client has one value per feature name.
    public init(featureNames: [String], clients: [BookClient]) {
        precondition(clients.allSatisfy { $0.features.count == featureNames.count }, "One value per feature")
        self.featureNames = featureNames
        self.clients = clients
    }

    /// The features as a clients-by-features table.
    public var features: ClientFeatures {
        ClientFeatures(clientCount: clients.count, featureCount: featureNames.count,
                       rowMajor: clients.flatMap(\.features))
    }
}

/// How a book is divided into groups.
public struct SegmentationOptions: Sendable, Hashable, Codable {
    /// The clustering method.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// k-means: round groups of similar size; the number of groups by silhouette.
        case kMeans = "kmeans"
        /// Gaussian mixture: elliptical groups and soft membership; the number of groups by BIC.
        case gaussianMixture = "gmm"
    }

    /// The clustering method.
    public var method: Method
    /// How features are scaled first.
    public var scaling: FeatureScaling
    /// The numbers of groups tried; one value fixes it.
    public var groupCounts: ClosedRange<Int>
    /// Seed of every random draw (starts, the silhouette sample).
    public var seed: UInt64
    /// The silhouette is computed over at most this many clients (a seeded sample), since it
    /// costs O(n²).
    public var silhouetteSampleSize: Int
    /// k-means starts per group count.
    public var restarts: Int

    /// Options; by default k-means on standardised features, 2 to 8 groups.
    public init(method: Method = .kMeans, scaling: FeatureScaling = .standard, groupCounts: ClosedRange<Int> = 2...8,
                seed: UInt64 = 1, silhouetteSampleSize: Int = 4000, restarts: Int = 4) {
        precondition(groupCounts.lowerBound >= 1 && silhouetteSampleSize >= 2 && restarts >= 1, "Invalid options")
        self.method = method
        self.scaling = scaling
        self.groupCounts = groupCounts
        self.seed = seed
        self.silhouetteSampleSize = silhouetteSampleSize
        self.restarts = restarts
    }
}

/// The division of a book into segments, each segment's profile, and the clients to review.
public struct BookSegmentation: Sendable, Hashable, Codable {
    /// How one number of groups scored.
    public struct Candidate: Sendable, Hashable, Codable {
        /// The number of groups.
        public let groups: Int
        /// Mean silhouette (higher is better), over the sampled clients; nil for one group.
        public let silhouette: Double?
        /// k-means inertia in scaled units (k-means only).
        public let inertia: Double?
        /// Bayesian information criterion (Gaussian mixture only; lower is better).
        public let bayesianInformationCriterion: Double?
    }

    /// One client's place in the segmentation.
    public struct Assignment: Sendable, Hashable, Codable {
        /// The client's id.
        public let clientID: String
        /// The segment, 1-based (segment 1 is the largest).
        public let segment: Int
        /// Distance to the segment's centre in scaled units (standard deviations for
        /// standard scaling).
        public let distance: Double
        /// The probability the client belongs to the segment (1 for k-means).
        public let membership: Double
    }

    /// One segment's description.
    public struct Profile: Sendable, Hashable, Codable {
        /// The segment number, 1-based, largest first.
        public let segment: Int
        /// A few words from the features that set it apart, e.g. "older, high net worth".
        public let label: String
        /// Number of clients.
        public let size: Int
        /// Share of the book's clients, 0-1.
        public let share: Double
        /// Mean of each feature over the segment, in the file's units.
        public let featureMeans: [Double]
        /// The segment's mean of each feature in scaled units (how far from the book's centre).
        public let scaledMeans: [Double]
        /// The most common risk category, when clients have one.
        public let typicalRiskCategory: RiskCategory?
        /// Clients per risk category.
        public let riskCategoryCounts: [RiskCategory: Int]
        /// The model most of the segment holds, and the share that holds it.
        public let commonModel: String?
        /// The share of the segment holding `commonModel`, 0-1.
        public let commonModelShare: Double
        /// The distance beyond which a client is far from this centre: Tukey's upper fence
        /// `Q3 + 1.5·IQR` of the segment's distances.
        public let farThreshold: Double
    }

    /// Why a client should be reviewed.
    public enum ReviewReason: Sendable, Hashable, Codable {
        /// The client is far from the segment's centre (distance, the segment's fence).
        case farFromCentre(distance: Double, threshold: Double)
        /// The client's risk category is two or more steps from the segment's typical one.
        case riskCategoryAway(client: RiskCategory, typical: RiskCategory)
        /// The client holds another model than the one most of the segment holds (clients
        /// without a risk category only).
        case modelAway(client: String, common: String)
        /// The client holds another model than the one most clients of its risk category hold
        /// across the book.
        case modelUnusualForCategory(client: String, category: RiskCategory, usual: String)
    }

    /// A client to review.
    public struct Review: Sendable, Hashable, Codable {
        /// The client's id.
        public let clientID: String
        /// The client's segment.
        public let segment: Int
        /// Why.
        public let reasons: [ReviewReason]
    }

    /// The options used.
    public let options: SegmentationOptions
    /// The features clustered on.
    public let featureNames: [String]
    /// The scaling fitted to the book.
    public let scaler: FeatureScaler
    /// Every number of groups tried, with its scores.
    public let candidates: [Candidate]
    /// The number of groups chosen.
    public let groupCount: Int
    /// Why that number: "highest silhouette" or "lowest BIC" or "fixed".
    public let choice: String
    /// Each client's segment, in the book's order.
    public let assignments: [Assignment]
    /// One profile per segment, segment 1 first.
    public let profiles: [Profile]
    /// The clients to review, in the book's order.
    public let reviews: [Review]
    /// The two principal components of the scaled features, for the picture.
    public let components: PrincipalComponents
    /// Each client's coordinates on the two components.
    public let coordinates: [[Double]]
    /// The mean silhouette of the chosen grouping (over the sample); nil for one group.
    public let silhouette: Double?

    /// Segments `book`.
    ///
    /// - Throws: `SegmentationError` for too few clients, a non-finite value, a constant
    ///   feature or a collapsed mixture component; the row and feature are named.
    /// - Complexity: per number of groups tried, O(restarts · iterations · n·d·k) for k-means
    ///   or O(iterations · k · n·d²) for a mixture, plus O(s²·d) for the silhouette over
    ///   `s = min(n, silhouetteSampleSize)` clients.
    public init(_ book: ClientBook, options: SegmentationOptions = SegmentationOptions()) throws(SegmentationError) {
        let raw = book.features
        guard raw.featureCount > 0 else { throw .invalidInitialization(detail: "no features to cluster on") }
        guard raw.clientCount >= Swift.max(2, options.groupCounts.lowerBound) else {
            throw .tooFewClients(clients: raw.clientCount, groups: Swift.max(2, options.groupCounts.lowerBound))
        }
        let scaler = try FeatureScaler(fitting: raw, method: options.scaling)
        let data = scaler.transform(raw)
        let n = data.clientCount
        let sample = Self.sample(n: n, size: options.silhouetteSampleSize, seed: options.seed)
        let sampled = data.clients(sample)

        var candidates = [Candidate]()
        var fits = [Int: (labels: [Int], distances: [Double], membership: [Double])]()
        let upper = Swift.min(options.groupCounts.upperBound, n)
        for k in options.groupCounts.lowerBound...Swift.max(options.groupCounts.lowerBound, upper) {
            var labels: [Int], distances: [Double], membership: [Double]
            var inertia: Double?, bic: Double?
            switch options.method {
            case .kMeans:
                let fit = try KMeans(clusterCount: k, restarts: options.restarts, seed: options.seed).fit(data)
                (labels, distances, membership) = (fit.labels, fit.distances, [Double](repeating: 1, count: n))
                inertia = fit.inertia
            case .gaussianMixture:
                let fit = try GaussianMixture(componentCount: k, seed: options.seed).fit(data)
                labels = fit.labels
                membership = fit.membership
                bic = fit.bayesianInformationCriterion
                let centres = KMeans.means(data, labels: labels, k: k).centres
                distances = (0..<n).map { i in
                    var s = 0.0
                    for (j, v) in data.client(i).enumerated() { let e = v - centres[labels[i] * data.featureCount + j]; s += e * e }
                    return s.squareRoot()
                }
            }
            let sampleLabels = sample.map { labels[$0] }
            let silhouette = Set(sampleLabels).count >= 2 ? Silhouette.score(sampled, labels: sampleLabels) : nil
            candidates.append(Candidate(groups: k, silhouette: silhouette, inertia: inertia, bayesianInformationCriterion: bic))
            fits[k] = (labels, distances, membership)
        }
        let chosen: Candidate
        let choice: String
        if candidates.count == 1 {
            chosen = candidates[0]
            choice = "fixed"
        } else if options.method == .gaussianMixture {
            chosen = candidates.min { ($0.bayesianInformationCriterion ?? .infinity) < ($1.bayesianInformationCriterion ?? .infinity) }!
            choice = "lowest BIC"
        } else {
            chosen = candidates.max { ($0.silhouette ?? -2) < ($1.silhouette ?? -2) }!
            choice = "highest silhouette"
        }
        let fit = fits[chosen.groups]!

        // Renumber: largest segment first, ties by first client.
        let k = chosen.groups
        var sizes = [Int](repeating: 0, count: k)
        var first = [Int](repeating: Int.max, count: k)
        for (i, l) in fit.labels.enumerated() { sizes[l] += 1; first[l] = Swift.min(first[l], i) }
        let order = (0..<k).filter { sizes[$0] > 0 }.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : first[$0] < first[$1] }
        var number = [Int](repeating: 0, count: k)
        for (position, label) in order.enumerated() { number[label] = position + 1 }

        let assignments = book.clients.indices.map { i in
            Assignment(clientID: book.clients[i].id, segment: number[fit.labels[i]], distance: fit.distances[i],
                       membership: fit.membership[i])
        }
        let profiles = order.enumerated().map { position, label in
            Self.profile(segment: position + 1, members: fit.labels.indices.filter { fit.labels[$0] == label },
                         book: book, raw: raw, scaled: data, distances: fit.distances, total: n)
        }
        // The model most clients of each risk category hold, across the book (when a majority does).
        var modelsByCategory = [RiskCategory: [String: Int]]()
        for client in book.clients {
            if let c = client.riskCategory, let m = client.model { modelsByCategory[c, default: [:]][m, default: 0] += 1 }
        }
        let usualModel = modelsByCategory.compactMapValues { counts -> String? in
            let total = counts.values.reduce(0, +)
            guard let top = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                  Double(top.value) > 0.5 * Double(total) else { return nil }
            return top.key
        }
        var reviews = [Review]()
        for (i, assignment) in assignments.enumerated() {
            let profile = profiles[assignment.segment - 1]
            var reasons = [ReviewReason]()
            if assignment.distance > profile.farThreshold {
                reasons.append(.farFromCentre(distance: assignment.distance, threshold: profile.farThreshold))
            }
            if let own = book.clients[i].riskCategory, let typical = profile.typicalRiskCategory,
               abs(Self.step(own) - Self.step(typical)) >= 2 {
                reasons.append(.riskCategoryAway(client: own, typical: typical))
            }
            if let own = book.clients[i].model {
                if let category = book.clients[i].riskCategory {
                    if let usual = usualModel[category], own != usual {
                        reasons.append(.modelUnusualForCategory(client: own, category: category, usual: usual))
                    }
                } else if let common = profile.commonModel, own != common, profile.commonModelShare >= 0.6 {
                    reasons.append(.modelAway(client: own, common: common))
                }
            }
            if !reasons.isEmpty { reviews.append(Review(clientID: book.clients[i].id, segment: assignment.segment, reasons: reasons)) }
        }
        let components: PrincipalComponents
        do { components = try PrincipalComponents(data, count: Swift.min(2, data.featureCount)) } catch {
            throw .invalidInitialization(detail: "principal components failed: \(error)")
        }
        self.options = options
        self.featureNames = book.featureNames
        self.scaler = scaler
        self.candidates = candidates
        self.groupCount = order.count
        self.choice = choice
        self.assignments = assignments
        self.profiles = profiles
        self.reviews = reviews
        self.components = components
        self.coordinates = components.project(data)
        self.silhouette = chosen.silhouette
    }

    static func step(_ category: RiskCategory) -> Int { RiskCategory.allCases.firstIndex(of: category)! }

    /// The first `size` of a seeded shuffle of `0..<n`, sorted; all of them when `n ≤ size`.
    static func sample(n: Int, size: Int, seed: UInt64) -> [Int] {
        guard n > size else { return Array(0..<n) }
        var generator = Xoshiro256StarStar(seed: seed ^ 0x5EED_5EED)
        var indices = Array(0..<n)
        for t in 0..<size {
            let j = t + Int(generator.next() % UInt64(n - t))
            indices.swapAt(t, j)
        }
        return indices[0..<size].sorted()
    }

    static func profile(segment: Int, members: [Int], book: ClientBook, raw: ClientFeatures, scaled: ClientFeatures,
                        distances: [Double], total: Int) -> Profile {
        let d = raw.featureCount
        var means = [Double](repeating: 0, count: d)
        var scaledMeans = [Double](repeating: 0, count: d)
        for i in members {
            for j in 0..<d {
                means[j] += raw.values[i * d + j]
                scaledMeans[j] += scaled.values[i * d + j]
            }
        }
        for j in 0..<d { means[j] /= Double(members.count); scaledMeans[j] /= Double(members.count) }
        var categories = [RiskCategory: Int]()
        var models = [String: Int]()
        for i in members {
            if let c = book.clients[i].riskCategory { categories[c, default: 0] += 1 }
            if let m = book.clients[i].model { models[m, default: 0] += 1 }
        }
        let typical = categories.max { $0.value != $1.value ? $0.value < $1.value : step($0.key) > step($1.key) }?.key
        let common = models.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
        let sorted = members.map { distances[$0] }.sorted()
        let q1 = sorted.isEmpty ? 0 : FeatureScaler.quantile(sorted, 0.25)
        let q3 = sorted.isEmpty ? 0 : FeatureScaler.quantile(sorted, 0.75)
        // The two features furthest from the book's centre name the segment.
        let telling = (0..<d).sorted { abs(scaledMeans[$0]) != abs(scaledMeans[$1]) ? abs(scaledMeans[$0]) > abs(scaledMeans[$1]) : $0 < $1 }
            .prefix(2).filter { abs(scaledMeans[$0]) >= 0.25 }
        let label = telling.isEmpty ? "near the book's average"
            : telling.map { (scaledMeans[$0] > 0 ? "high " : "low ") + book.featureNames[$0].replacingUnderscores }.joined(separator: ", ")
        return Profile(segment: segment, label: label, size: members.count, share: Double(members.count) / Double(total),
                       featureMeans: means, scaledMeans: scaledMeans, typicalRiskCategory: typical,
                       riskCategoryCounts: categories, commonModel: common?.key,
                       commonModelShare: common.map { Double($0.value) / Double(members.count) } ?? 0,
                       farThreshold: q3 + 1.5 * (q3 - q1))
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
