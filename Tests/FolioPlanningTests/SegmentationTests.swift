import Foundation
import FolioLinearAlgebra
import FolioPlanning
import FolioRebalancing
import Testing

/// Planted groups: `groups` well-separated blobs in `d` features, labels known.
func plantedBook(groups: Int, perGroup: Int, d: Int, spread: Double = 0.6, seed: UInt64) -> (ClientFeatures, [Int]) {
    var generator = Xoshiro256StarStar(seed: seed)
    var centres = [[Double]]()
    for _ in 0..<groups { centres.append((0..<d).map { _ in generator.nextStandardNormal() * 6 }) }
    var rows = [[Double]](), labels = [Int]()
    for i in 0..<(groups * perGroup) {
        let g = (i * 7919) % groups  // interleaved, so no group is a contiguous block
        rows.append(centres[g].map { $0 + spread * generator.nextStandardNormal() })
        labels.append(g)
    }
    return (ClientFeatures(rows: rows), labels)
}

/// Whether two labelings are the same partition (up to renaming the groups).
func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
    var forward = [Int: Int](), backward = [Int: Int]()
    for (x, y) in zip(a, b) {
        if let m = forward[x], m != y { return false }
        if let m = backward[y], m != x { return false }
        forward[x] = y
        backward[y] = x
    }
    return true
}

@Suite("Segmentation")
struct SegmentationTests {
    @Test(arguments: [2, 3, 5, 7])
    func kMeansRecoversPlantedGroups(groups: Int) throws {
        let (data, truth) = plantedBook(groups: groups, perGroup: 60, d: 4, seed: UInt64(groups))
        let fit = try KMeans(clusterCount: groups, restarts: 4, seed: 3).fit(data)
        #expect(samePartition(fit.labels, truth))
        #expect(fit.converged)
        // Inertia recomputed from the labels and the group means.
        var recomputed = 0.0
        for c in 0..<groups {
            let members = fit.labels.indices.filter { fit.labels[$0] == c }
            let mean = (0..<4).map { j in members.reduce(0.0) { $0 + data.values[$1 * 4 + j] } / Double(members.count) }
            for i in members { for j in 0..<4 { recomputed += pow(data.values[i * 4 + j] - mean[j], 2) } }
        }
        #expect(abs(recomputed - fit.inertia) <= 1e-9 * recomputed)
    }

    @Test func segmentationChoosesThePlantedNumberByEitherMethod() throws {
        let (data, truth) = plantedBook(groups: 4, perGroup: 80, d: 5, seed: 11)
        let book = ClientBook(featureNames: (1...5).map { "f\($0)" },
                              clients: (0..<data.clientCount).map { BookClient(id: "C\($0)", features: Array(data.client($0))) })
        for method in SegmentationOptions.Method.allCases {
            let s = try BookSegmentation(book, options: SegmentationOptions(method: method, groupCounts: 2...7))
            #expect(s.groupCount == 4, "\(method)")
            #expect(samePartition(s.assignments.map(\.segment), truth), "\(method)")
            // Segments are numbered by size, largest first, and the sizes add up.
            #expect(s.profiles.map(\.size) == s.profiles.map(\.size).sorted(by: >))
            #expect(s.profiles.map(\.size).reduce(0, +) == data.clientCount)
            #expect(s.candidates.map(\.groups) == Array(2...7))
        }
    }

    @Test func emptyGroupsAreReseeded() throws {
        // Ten identical clients and two far ones; a start with a centre nowhere near anyone.
        let rows = Array(repeating: [0.0, 0.0], count: 10) + [[10.0, 10.0], [10.0, 11.0]]
        let data = ClientFeatures(rows: rows)
        let fit = try KMeans(clusterCount: 3, tolerance: 0).fit(data, initialCentres: [[0, 0], [10, 10.5], [-500, -500]])
        #expect(Set(fit.labels).count == 3)
        #expect(fit.inertia.isFinite)
    }

    @Test func restartsKeepTheLowestInertia() throws {
        let (data, _) = plantedBook(groups: 6, perGroup: 30, d: 3, spread: 2.5, seed: 5)
        let one = try KMeans(clusterCount: 6, restarts: 1, seed: 9).fit(data)
        let many = try KMeans(clusterCount: 6, restarts: 12, seed: 9).fit(data)
        #expect(many.inertia <= one.inertia + 1e-9)
        // Deterministic: the same seed, the same result.
        #expect(try KMeans(clusterCount: 6, restarts: 12, seed: 9).fit(data) == many)
    }

    @Test func badDataIsATypedError() throws {
        let nan = ClientFeatures(rows: [[1, 2], [3, .nan], [5, 6]])
        #expect(throws: SegmentationError.nonFiniteValue(client: 1, feature: 1)) { try KMeans(clusterCount: 2).fit(nan) }
        #expect(throws: SegmentationError.tooFewClients(clients: 3, groups: 4)) {
            try KMeans(clusterCount: 4).fit(ClientFeatures(rows: [[1], [2], [3]]))
        }
        #expect(throws: SegmentationError.constantFeature(feature: 1)) {
            try FeatureScaler(fitting: ClientFeatures(rows: [[1, 7], [2, 7], [3, 7]]), method: .standard)
        }
        #expect(throws: SegmentationError.self) {
            try KMeans(clusterCount: 2).fit(ClientFeatures(rows: [[1], [2], [3]]), initialCentres: [[1]])
        }
    }

    @Test func reviewsAreRecomputedFromTheOutput() throws {
        var (data, _) = plantedBook(groups: 3, perGroup: 100, d: 3, seed: 21)
        var rows = (0..<data.clientCount).map { Array(data.client($0)) }
        rows[17] = rows[17].map { $0 + 9 }  // pushed away from its group
        data = ClientFeatures(rows: rows)
        let categories: [RiskCategory] = [.conservative, .moderate, .aggressive]
        var clients = (0..<data.clientCount).map { i in
            BookClient(id: "C\(i)", features: rows[i], riskCategory: categories[i % 3], model: "m")
        }
        clients[40].model = "other"
        clients[41].riskCategory = nil
        clients[41].model = "other"
        let s = try BookSegmentation(ClientBook(featureNames: ["a", "b", "c"], clients: clients),
                                     options: SegmentationOptions(groupCounts: 3...3))
        for (i, a) in s.assignments.enumerated() {
            let profile = s.profiles[a.segment - 1]
            let far = a.distance > profile.farThreshold
            let reasons = s.reviews.first { $0.clientID == a.clientID }?.reasons ?? []
            #expect(far == reasons.contains { if case .farFromCentre = $0 { true } else { false } }, "client \(i)")
        }
        #expect(s.reviews.contains { $0.clientID == "C17" })
        #expect(s.reviews.first { $0.clientID == "C40" }?.reasons
            .contains(.modelUnusualForCategory(client: "other", category: categories[40 % 3], usual: "m")) == true)
        #expect(s.reviews.first { $0.clientID == "C41" }?.reasons.contains(.modelAway(client: "other", common: "m")) == true)
        // A client holding the usual model of its own category is not flagged for its model.
        #expect(!s.reviews.contains { r in r.reasons.contains { if case .modelAway = $0 { true } else { false } } && r.clientID != "C41" })
    }
}
