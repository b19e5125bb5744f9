import ArgumentParser
import Folio
import Foundation

extension SegmentationOptions.Method: ExpressibleByArgument {}
extension FeatureScaling: ExpressibleByArgument {}

/// `folio segment`: divide an advisor's book into groups of similar clients.
struct SegmentCommand: FolioSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Divide a book of clients into segments and list the clients who do not fit theirs.",
        discussion: """
        Reads a clients file (one row per client: client_id, numeric features such as age, horizon, income, net worth, risk scores, equity share, concentration and cash share, and optionally risk_category and model; see Documentation/FileFormats.md). Features are scaled (standard or robust), clustered by k-means (k-means++ starts, Lloyd iterations) or a Gaussian mixture (EM, full covariances), the number of segments chosen by silhouette (k-means) or BIC (mixture) over --groups. Protected characteristics (gender, race, religion, marital status, zip code...) are refused as features.

        Output folder: clients.csv (each client's segment, distance to its centre, membership, principal coordinates and review reasons), segments.json and report.html.

        Examples:
          folio segment --clients Examples/Data/book/clients.csv
          folio segment --clients Examples/Data/book/clients.csv \\
            --method gmm --groups 4 --output segments
        """)

    @Option(help: "Clients file (CSV).")
    var clients: String

    @Option(help: "Comma-separated feature columns to cluster on (default: every numeric column).")
    var features: String?

    @Option(help: "Method: kmeans or gmm (Gaussian mixture).")
    var method: SegmentationOptions.Method = .kMeans

    @Option(help: "Feature scaling: standard, robust or none.")
    var scaling: FeatureScaling = .standard

    @Option(help: "Number of segments, or a range to choose from such as 2-8.")
    var groups: String = "2-8"

    @Option(help: "Seed of the random starts (equal seeds give equal segments).")
    var seed: UInt64 = 1

    @Option(help: "Folder to write clients.csv, segments.json and report.html into.")
    var output: String?

    @OptionGroup var formatOptions: FormatOptions

    @OptionGroup var common: CommonOptions

    static func parseGroups(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch parts.count {
        case 1: if let k = parts[0], k >= 1, k <= 50 { return k...k }
        case 2: if let a = parts[0], let b = parts[1], a >= 1, b >= a, b <= 50 { return a...b }
        default: break
        }
        return nil
    }

    func validate() throws {
        guard Self.parseGroups(groups) != nil else {
            throw ValidationError("--groups must be a number of segments (1-50) or a range such as 2-8, not '\(groups)'")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: clients)
        let wanted = features.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let book: ClientBook
        let segmentation: BookSegmentation
        do {
            book = try ClientBookReader.read(contentsOf: url, features: wanted)
            segmentation = try BookSegmentation(book, options: SegmentationOptions(
                method: method, scaling: scaling, groupCounts: Self.parseGroups(groups)!, seed: seed))
        } catch {
            throw DataFailure(error)
        }
        let title = url.deletingLastPathComponent().lastPathComponent.isEmpty ? "Book" : "Book \(url.deletingLastPathComponent().lastPathComponent)"
        let report = SegmentationReport(title: title, segmentation: segmentation)
        switch formatOptions.format {
        case .table: emit(report.text())
        case .json: emit(String(decoding: try report.json(), as: UTF8.self) + "\n")
        case .csv: emit(report.csv())
        }
        if let output {
            let folder = URL(fileURLWithPath: output)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try AtomicFile.write([
                    (Data(report.csv().utf8), folder.appendingPathComponent("clients.csv")),
                    (try report.json(), folder.appendingPathComponent("segments.json")),
                    (Data(report.html().utf8), folder.appendingPathComponent("report.html")),
                ])
            } catch {
                throw DataFailure(error)
            }
        }
    }
}
