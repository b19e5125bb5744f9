import Foundation
import FolioPlanning
import FolioRebalancing

/// Builds a book for segmentation from a folder of households, as `folio rebalance` and
/// `folio batch` read them: each subfolder holding `holdings.csv` (or `holdings.json`) is a
/// household named by the folder, and each holdings file directly in the folder is a household
/// named by the file's stem. The features of ``HoldingsFeatures`` are derived from each
/// household's holdings; a household folder's `answers.yaml` gives its risk category (scored
/// as `folio profile` does, the short-horizon cap included). A clients file may be merged in:
/// its features come first, its risk category and model win, and every client must match one
/// household (ids compared after Unicode NFC).
public enum HouseholdBookReader: Sendable {
    /// The problems found, one per household or client (every one, not only the first).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The problems, in household order.
        public var problems: [InputError]
        /// One line per problem.
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// A household of the folder: its id and files.
    public struct Entry: Sendable, Hashable {
        /// The household's id: the folder's name or the file's stem, NFC.
        public var id: String
        /// Its holdings file.
        public var holdings: URL
        /// Its answers file, when the household folder has one.
        public var answers: URL?
    }

    /// The households of a folder, in id order. Hidden entries are skipped; symbolic links are
    /// not followed.
    /// - Throws: `Failure` when the folder cannot be listed, holds no household, or two
    ///   entries give the same id.
    /// - Complexity: O(entries) file-system calls.
    public static func households(in folder: URL) throws(Failure) -> [Entry] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else {
            throw Failure(problems: [.file(.unreadable(folder.path, reason: "not a readable folder"))])
        }
        var entries: [Entry] = []
        var problems: [InputError] = []
        var seen: [String: String] = [:]
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard let attributes = try? manager.attributesOfItem(atPath: url.path),
                  let type = attributes[.type] as? FileAttributeType, type != .typeSymbolicLink else { continue }
            let entry: Entry
            if type == .typeDirectory {
                let files = ["holdings.csv", "holdings.json"].map { url.appendingPathComponent($0) }
                guard let holdings = files.first(where: { isRegularFile($0) }) else { continue }
                let answers = url.appendingPathComponent("answers.yaml")
                entry = Entry(id: IdentifierText.normalized(name), holdings: holdings, answers: isRegularFile(answers) ? answers : nil)
            } else if ["csv", "json"].contains(url.pathExtension.lowercased()) {
                entry = Entry(id: IdentifierText.normalized(url.deletingPathExtension().lastPathComponent), holdings: url, answers: nil)
            } else {
                continue
            }
            if let other = seen[entry.id] {
                problems.append(.inconsistent(file: url.path, message: "household id \"\(entry.id)\" is also that of \(other)"))
                continue
            }
            seen[entry.id] = url.path
            entries.append(entry)
        }
        if entries.isEmpty && problems.isEmpty {
            problems.append(.inconsistent(file: folder.path, message: "no households: no holdings files and no folders with holdings.csv"))
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        return entries.sorted { $0.id < $1.id }
    }

    private static func isRegularFile(_ url: URL) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType) == .typeRegular
    }

    /// Reads the households of `folder` into a book, merged with `clients` when given.
    /// - Parameters:
    ///   - folder: The households folder.
    ///   - prices: Latest price per symbol (from `--prices`); they replace a holdings file's own prices.
    ///   - models: The model portfolios whose classes and funds give each security's group.
    ///   - questionnaire: The questionnaire the answers files answer.
    ///   - clients: A clients book to merge, and its file for messages.
    /// - Returns: The book: the clients file's features (when merged), then ``HoldingsFeatures/names``.
    /// - Throws: `Failure` listing every household or client at fault.
    /// - Complexity: O(total size of the files).
    public static func read(
        folder: URL, prices: [String: Decimal] = [:], models: ModelPortfolios = .standard,
        questionnaire: Questionnaire = .standard, clients: (book: ClientBook, file: String)? = nil
    ) throws(Failure) -> ClientBook {
        let entries = try households(in: folder)
        var problems: [InputError] = []
        let classGroup = models.groups
        var fundGroup: [String: AssetGroup] = [:]
        for info in models.assetClasses {
            for symbol in [info.fund] + info.alternates where fundGroup[symbol.uppercased()] == nil {
                fundGroup[symbol.uppercased()] = info.group
            }
        }
        let given = prices.mapValues { NSDecimalNumber(decimal: $0).doubleValue }
        var derived: [BookClient] = []
        for entry in entries {
            do {
                let holdings = try HoldingsReader.read(contentsOf: entry.holdings)
                var price = holdings.prices.mapValues { NSDecimalNumber(decimal: $0).doubleValue }
                price.merge(given) { _, new in new }
                var group: [String: AssetGroup] = [:]
                for account in holdings.accounts {
                    for p in account.positions {
                        group[p.symbol] = holdings.assetClasses[p.symbol].flatMap { classGroup[$0] } ?? fundGroup[p.symbol.uppercased()]
                    }
                }
                let features: HoldingsFeatures
                do { features = try HoldingsFeatures(accounts: holdings.accounts, prices: price, group: group) } catch {
                    throw InputError.inconsistent(file: entry.holdings.path, message: error.description)
                }
                var category: RiskCategory?
                if let answers = entry.answers {
                    let given = try ClientReader.answers(contentsOf: answers)
                    do { category = try ProfileReview(given, questionnaire: questionnaire).category } catch {
                        throw InputError.inconsistent(file: answers.path, message: error.description)
                    }
                }
                derived.append(BookClient(id: entry.id, features: features.values, riskCategory: category))
            } catch let error as InputError {
                problems.append(error)
            } catch let error as FileError {
                problems.append(.file(error))
            } catch {
                problems.append(.inconsistent(file: entry.holdings.path, message: "\(error)"))
            }
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        guard let (book, file) = clients else { return ClientBook(featureNames: HoldingsFeatures.names, clients: derived) }
        return try merge(book, file: file, derived: derived, folder: folder)
    }

    /// Joins a clients book with the derived households by id.
    static func merge(_ book: ClientBook, file: String, derived: [BookClient], folder: URL) throws(Failure) -> ClientBook {
        var problems: [InputError] = []
        let derivedNames = Set(HoldingsFeatures.names.map(normalizedHeader))
        for name in book.featureNames where derivedNames.contains(normalizedHeader(name)) {
            problems.append(.inconsistent(file: file, message: "column \"\(name)\" is derived from the households; leave it out of the clients file (or its features)"))
        }
        let byID = Dictionary(derived.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let clientIDs = Set(book.clients.map(\.id))
        var merged: [BookClient] = []
        for client in book.clients {
            guard let household = byID[client.id] else {
                problems.append(.inconsistent(file: file, message: "client \"\(client.id)\" has no household in \(folder.path)"))
                continue
            }
            merged.append(BookClient(id: client.id, features: client.features + household.features,
                                     riskCategory: client.riskCategory ?? household.riskCategory, model: client.model))
        }
        for household in derived where !clientIDs.contains(household.id) {
            problems.append(.inconsistent(file: folder.path, message: "household \"\(household.id)\" is not in \(file)"))
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        return ClientBook(featureNames: book.featureNames + HoldingsFeatures.names, clients: merged)
    }

    /// The book keeping only the features named (header-matching rule), in the order named.
    /// - Throws: `Failure` naming a feature the book does not have.
    /// - Complexity: O(clients · features).
    public static func selecting(_ names: [String], from book: ClientBook, file: String) throws(Failure) -> ClientBook {
        let keys = book.featureNames.map(normalizedHeader)
        var columns: [Int] = []
        var problems: [InputError] = []
        for name in names {
            guard let j = keys.firstIndex(of: normalizedHeader(name)) else {
                problems.append(.inconsistent(file: file, message: "no feature \"\(name)\" (the features are \(book.featureNames.joined(separator: ", ")))"))
                continue
            }
            columns.append(j)
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        return ClientBook(featureNames: columns.map { book.featureNames[$0] }, clients: book.clients.map { client in
            BookClient(id: client.id, features: columns.map { client.features[$0] }, riskCategory: client.riskCategory, model: client.model)
        })
    }
}
