import ArgumentParser
import Folio
import Foundation

/// Which symbols of the prices file a quant command uses (optimize, risk, frontier, allocate).
struct UniverseOptions: ParsableArguments {
    @Option(name: .customLong("symbols"), parsing: .singleValue,
            help: ArgumentHelp("Use only these symbols of the prices file (comma-separated or repeated, e.g. FUSLC,FAGGB).", valueName: "symbols"))
    var symbolLists: [String] = []

    @Option(name: .customLong("exclude"), parsing: .singleValue,
            help: ArgumentHelp("Leave these symbols of the prices file out (comma-separated or repeated).", valueName: "symbols"))
    var excludeLists: [String] = []

    static func split(_ lists: [String]) -> [String] {
        lists.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The selection the flags describe.
    var selection: PriceSelection {
        PriceSelection(symbols: symbolLists.isEmpty ? nil : Self.split(symbolLists), excluding: Self.split(excludeLists))
    }

    func validate() throws {
        if !symbolLists.isEmpty && Self.split(symbolLists).isEmpty { throw ValidationError("--symbols needs at least one symbol") }
    }
}

/// Weight bounds `LO,HI` for every asset: typed, so a malformed value is a usage error.
struct WeightBounds: ExpressibleByArgument, Equatable {
    var range: ClosedRange<Double>

    init(_ range: ClosedRange<Double>) { self.range = range }

    /// `LO,HI` with both halves finite numbers and LO ≤ HI (`0,x,0.2` or `0,0.2-` is rejected).
    init?(argument: String) {
        let halves = argument.split(separator: ",", omittingEmptySubsequences: false)
        guard halves.count == 2, let low = Double(halves[0].trimmingCharacters(in: .whitespaces)),
              let high = Double(halves[1].trimmingCharacters(in: .whitespaces)),
              low.isFinite, high.isFinite, low <= high else { return nil }
        range = low...high
    }

    var defaultValueDescription: String { "\(range.lowerBound),\(range.upperBound)" }
}

/// The linkages the hierarchical objectives offer.
enum LinkageChoice: String, ExpressibleByArgument, CaseIterable {
    case single, complete, average, weighted, ward

    var linkage: Linkage { Linkage(rawValue: rawValue)! }
}

/// Weights files (the targets format) aligned to a universe: --weights, --benchmark, --current.
enum WeightsFile {
    /// The weights of the targets file at `path`, one per asset of `assets` (0 where absent);
    /// `CASH` is dropped (no return, no risk). Returns the vector and the cash weight.
    ///
    /// - Throws: `DataFailure` for an unreadable file, a target by asset class, or a symbol
    ///   that is not among `assets` (named with the option and file).
    static func read(_ path: String, option: String, assets: [String], pricesFile: String) throws -> (weights: [Double], cash: Double) {
        let target: TargetAllocation
        do { target = try TargetsReader.read(contentsOf: URL(fileURLWithPath: path)) } catch { throw DataFailure(error) }
        guard !target.isByAssetClass else { throw DataFailure(lines: ["\(path) (\(option)): give weights by symbol (targets:), not by asset class"]) }
        var w = [Double](repeating: 0, count: assets.count), cash = 0.0
        let index = Dictionary(assets.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var missing: [String] = []
        for line in target.securityWeights {
            if line.symbol == TargetAllocation.cashSymbol { cash += line.weight; continue }
            guard let i = index[line.symbol] else { missing.append(line.symbol); continue }
            w[i] = line.weight
        }
        if !missing.isEmpty {
            throw DataFailure(lines: ["\(path) (\(option)): \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not in the prices used (\(pricesFile), after --symbols/--exclude)"])
        }
        return (w, cash)
    }
}

/// Writes a warning line to stderr (escaped: a symbol cannot move the cursor).
func warn(_ text: String) {
    FileHandle.standardError.write(Data("warning: \(TerminalText.escaped(text, keepingNewlines: false))\n".utf8))
}

/// Prints a quant report on stdout in `format`: the renderer's table at the terminal's
/// width, its JSON, or its CSV.
func render(_ format: OutputFormat, table: (Int) -> String, json: () throws -> Data, csv: () -> String) throws {
    switch format {
    case .json: FileHandle.standardOutput.write(try json())
    case .csv: emit(csv())
    case .table: emit(table(TerminalWidth.current))
    }
}

/// A positive amount of money in the money syntax (`25000`, `$25,000.00`), exact.
struct MoneyAmount: ExpressibleByArgument {
    var value: Decimal

    /// Nil (a usage error) for text outside the money syntax or an amount that is not positive.
    init?(argument: String) {
        guard let value = MoneyText.parse(argument), value > 0 else { return nil }
        self.value = value
    }
}
