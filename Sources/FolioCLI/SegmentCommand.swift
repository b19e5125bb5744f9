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

        --households DIR derives holdings features from a folder of households as folio rebalance and folio batch read them (subfolders with holdings.csv, or holdings files): total_value, equity_share, cash_share, largest_position_share, hhi (Herfindahl index of the security shares), position_count, account_count, taxable_share and unrealized_gain_share; a household folder's answers.yaml gives its risk category. Securities are priced from --prices (else the holdings file's price column) and grouped by their asset class or model fund (--models). With --clients as well, the two are joined by id: every client needs a household and every household a client.

        Output folder: clients.csv (each client's segment, distance to its centre, membership, principal coordinates and review reasons), segments.json and report.html.

        Examples:
          folio segment --clients Examples/Data/book/clients.csv
          folio segment --clients Examples/Data/book/clients.csv \\
            --method gmm --groups 4 --output segments
          folio segment --households Examples/Data/households \\
            --prices Examples/Data/prices.csv --groups 2
        """)

    @Option(help: "Clients file (CSV).")
    var clients: String?

    @Option(help: "Folder of households (subfolders with holdings.csv, or holdings files) to derive holdings features from.")
    var households: String?

    @Option(help: "Prices file for --households (default: the holdings files' price column).")
    var prices: String?

    @OptionGroup var planning: PlanningOptions

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
        guard clients != nil || households != nil else { throw ValidationError("give --clients FILE, --households DIR, or both") }
        if prices != nil && households == nil { throw ValidationError("--prices prices the households of --households; give --households too") }
        guard Self.parseGroups(groups) != nil else {
            throw ValidationError("--groups must be a number of segments (1-50) or a range such as 2-8, not '\(groups)'")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: clients ?? households!)
        let wanted = features.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let book: ClientBook
        let segmentation: BookSegmentation
        do {
            book = try readBook(features: wanted)
            segmentation = try BookSegmentation(book, options: SegmentationOptions(
                method: method, scaling: scaling, groupCounts: Self.parseGroups(groups)!, seed: seed))
        } catch {
            throw DataFailure(error)
        }
        let title = households != nil && clients == nil
            ? "Book \(url.lastPathComponent)"
            : url.deletingLastPathComponent().lastPathComponent.isEmpty ? "Book" : "Book \(url.deletingLastPathComponent().lastPathComponent)"
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

    /// The book: the clients file, the households' derived features, or both joined; then the
    /// features asked for.
    func readBook(features wanted: [String]?) throws -> ClientBook {
        guard let households else { return try ClientBookReader.read(contentsOf: URL(fileURLWithPath: clients!), features: wanted) }
        let latest = try prices.map { path throws(FileError) in try PricesReader.read(contentsOf: URL(fileURLWithPath: path)).latest } ?? [:]
        let models = try planning.load().models
        // The clients file keeps all its columns here; the selection applies to the joined book.
        let given = try clients.map { path throws(FileError) in (try ClientBookReader.read(contentsOf: URL(fileURLWithPath: path)), path) }
        let book = try HouseholdBookReader.read(folder: URL(fileURLWithPath: households), prices: latest, models: models, clients: given)
        return try wanted.map { names throws(HouseholdBookReader.Failure) in try HouseholdBookReader.selecting(names, from: book, file: clients ?? households) } ?? book
    }
}
