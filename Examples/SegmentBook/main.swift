// SegmentBook: divide an advisor's book of clients into segments, profile each segment and
// list the clients who do not fit theirs.
//
//     swift run SegmentBook [clients.csv]
//
// Reads Examples/Data/book/clients.csv (3,000 fictional clients, written by
// Scripts/sample_data/book.py) unless a file is given; clusters standardised features by
// k-means, choosing 2 to 8 segments by silhouette, then fits a Gaussian mixture with the
// same number of segments for comparison.
import Foundation
import FolioFiles
import FolioPlanning
import FolioReports

let path = CommandLine.arguments.dropFirst().first
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/book/clients.csv").path
do {
    let book = try ClientBookReader.read(contentsOf: URL(fileURLWithPath: path))
    print("Book of \(book.clients.count) clients, features: \(book.featureNames.joined(separator: ", "))\n")

    let kMeans = try BookSegmentation(book, options: SegmentationOptions(method: .kMeans, groupCounts: 2...8))
    print(SegmentationReport(title: "k-means", segmentation: kMeans).text(reviewLines: 5))

    let k = kMeans.groupCount
    let mixture = try BookSegmentation(book, options: SegmentationOptions(method: .gaussianMixture, groupCounts: k...k))
    let agreement = zip(kMeans.assignments, mixture.assignments).filter { $0.segment == $1.segment }.count
    print("Gaussian mixture with \(k) segments: silhouette \(String(format: "%.3f", mixture.silhouette ?? 0)), "
          + "\(mixture.reviews.count) clients to review; same segment number as k-means for \(agreement) clients "
          + "(segment numbers are by size, so this counts agreement only where the sizes rank alike).")
    let uncertain = mixture.assignments.filter { $0.membership < 0.8 }.count
    print("Clients the mixture places with less than 80% certainty: \(uncertain)")
} catch {
    print("SegmentBook: \(error)")
    exit(1)
}
