import Foundation
import FolioLinearAlgebra
import FolioPlanning
import Testing

/// One case of `Fixtures/segmentation_golden.json` (written by `Scripts/golden/segmentation.py`
/// with scikit-learn).
struct SegmentationGoldenCase: Decodable, Sendable, CustomTestStringConvertible {
    struct KMeansCase: Decodable, Sendable {
        let k: Int
        let initialCentres: [[Double]]
        let labels: [Int]
        let inertia: Double
        let centres: [[Double]]
        let iterations: Int
    }
    struct MixtureCase: Decodable, Sendable {
        let k: Int
        let maximumIterations: Int
        let initialWeights: [Double]
        let initialMeans: [[Double]]
        let initialCovariances: [[[Double]]]
        let weights: [Double]
        let means: [[Double]]
        let covariances: [[[Double]]]
        let score: Double
        let bic: Double
        let labels: [Int]
    }
    struct PCACase: Decodable, Sendable {
        let explainedVarianceRatio: [Double]
        let components: [[Double]]
    }
    let name: String
    let raw: [[Double]]
    let standardCentres: [Double]
    let standardScales: [Double]
    let robustCentres: [Double]
    let robustScales: [Double]
    let kmeans: KMeansCase
    let silhouette: Double
    let silhouetteSamples: [Double]
    let mixture: MixtureCase
    let pca: PCACase
    var testDescription: String { name }

    static let all: [SegmentationGoldenCase] = {
        struct File: Decodable { let cases: [SegmentationGoldenCase] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/segmentation_golden.json")
        // A missing or unreadable fixture is a test failure, reported by `fixtureLoads`.
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()
}

private func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

@Suite("Segmentation against scikit-learn")
struct SegmentationGoldenTests {
    @Test func fixtureLoads() {
        #expect(SegmentationGoldenCase.all.count == 3)
    }

    @Test(arguments: SegmentationGoldenCase.all)
    func scalersMatch(_ golden: SegmentationGoldenCase) throws {
        let data = ClientFeatures(rows: golden.raw)
        let standard = try FeatureScaler(fitting: data, method: .standard)
        let robust = try FeatureScaler(fitting: data, method: .robust)
        for j in golden.standardCentres.indices {
            #expect(relative(standard.centres[j], golden.standardCentres[j]) < 1e-12)
            #expect(relative(standard.scales[j], golden.standardScales[j]) < 1e-12)
            #expect(relative(robust.centres[j], golden.robustCentres[j]) < 1e-12)
            #expect(relative(robust.scales[j], golden.robustScales[j]) < 1e-12)
        }
    }

    @Test(arguments: SegmentationGoldenCase.all)
    func kMeansMatchesFromTheSameCentres(_ golden: SegmentationGoldenCase) throws {
        let raw = ClientFeatures(rows: golden.raw)
        let data = try FeatureScaler(fitting: raw, method: .standard).transform(raw)
        let fit = try KMeans(clusterCount: golden.kmeans.k, tolerance: 0)
            .fit(data, initialCentres: golden.kmeans.initialCentres)
        #expect(fit.labels == golden.kmeans.labels)
        #expect(relative(fit.inertia, golden.kmeans.inertia) < 1e-10)
        #expect(fit.iterations == golden.kmeans.iterations)
        for c in 0..<golden.kmeans.k {
            for (j, value) in golden.kmeans.centres[c].enumerated() {
                #expect(abs(fit.centre(c)[fit.centre(c).startIndex + j] - value) < 1e-10)
            }
        }
        // The distances are recomputed from the centres, not trusted.
        for i in stride(from: 0, to: raw.clientCount, by: 37) {
            let c = fit.centre(fit.labels[i])
            let direct = zip(data.client(i), c).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            #expect(abs(fit.distances[i] - direct) < 1e-12)
        }
    }

    @Test(arguments: SegmentationGoldenCase.all)
    func silhouetteMatches(_ golden: SegmentationGoldenCase) throws {
        let raw = ClientFeatures(rows: golden.raw)
        let data = try FeatureScaler(fitting: raw, method: .standard).transform(raw)
        #expect(abs(Silhouette.score(data, labels: golden.kmeans.labels) - golden.silhouette) < 1e-12)
        let samples = Silhouette.samples(data, labels: golden.kmeans.labels)
        for (i, value) in golden.silhouetteSamples.enumerated() { #expect(abs(samples[i] - value) < 1e-12) }
    }

    @Test(arguments: SegmentationGoldenCase.all)
    func gaussianMixtureMatchesFromTheSameStart(_ golden: SegmentationGoldenCase) throws {
        let raw = ClientFeatures(rows: golden.raw)
        let data = try FeatureScaler(fitting: raw, method: .standard).transform(raw)
        let m = golden.mixture
        let start = GaussianMixtureParameters(
            weights: m.initialWeights, means: m.initialMeans,
            covariances: m.initialCovariances.map { Matrix(rows: $0) })
        let fit = try GaussianMixture(componentCount: m.k, maximumIterations: m.maximumIterations, tolerance: 0)
            .fit(data, initial: start)
        #expect(fit.iterations == m.maximumIterations)
        for c in 0..<m.k {
            #expect(abs(fit.parameters.weights[c] - m.weights[c]) < 1e-8)
            for j in m.means[c].indices { #expect(abs(fit.parameters.means[c][j] - m.means[c][j]) < 1e-8) }
            for r in m.covariances[c].indices {
                for s in m.covariances[c][r].indices {
                    #expect(abs(fit.parameters.covariances[c][r, s] - m.covariances[c][r][s]) < 1e-8)
                }
            }
        }
        #expect(abs(fit.meanLogLikelihood - m.score) < 1e-8)
        #expect(relative(fit.bayesianInformationCriterion, m.bic) < 1e-10)
        #expect(fit.labels == m.labels)
    }

    @Test(arguments: SegmentationGoldenCase.all)
    func principalComponentsMatchUpToSign(_ golden: SegmentationGoldenCase) throws {
        let raw = ClientFeatures(rows: golden.raw)
        let data = try FeatureScaler(fitting: raw, method: .standard).transform(raw)
        let pca = try PrincipalComponents(data)
        for r in 0..<2 {
            #expect(abs(pca.explainedVarianceRatio[r] - golden.pca.explainedVarianceRatio[r]) < 1e-10)
            let dot = zip(pca.components[r], golden.pca.components[r]).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(dot) - 1) < 1e-9)
        }
    }
}
