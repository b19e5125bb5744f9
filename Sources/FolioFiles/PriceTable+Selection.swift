import Foundation

/// Which symbols of a prices file a quant command uses: all of them, a list, less some.
public struct PriceSelection: Sendable, Equatable {
    /// The symbols to keep (nil: every symbol of the file).
    public var symbols: [String]?
    /// The symbols to leave out.
    public var excluded: [String]

    /// A selection; symbols are matched as the readers write them (trimmed, NFC, upper-cased).
    ///
    /// - Complexity: O(1).
    public init(symbols: [String]? = nil, excluding excluded: [String] = []) {
        self.symbols = symbols
        self.excluded = excluded
    }

    /// Every symbol.
    public static var all: PriceSelection { PriceSelection() }

    /// Why a selection cannot be applied.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Symbols named that the prices file does not have.
        case unknownSymbols([String], file: String)
        /// Nothing is left after the selection.
        case nothingSelected(file: String)

        /// One line naming the problem and the file.
        public var description: String {
            switch self {
            case .unknownSymbols(let symbols, let file):
                "\(file): no prices for \(symbols.joined(separator: ", ")) (named by --symbols or --exclude)"
            case .nothingSelected(let file):
                "\(file): --symbols and --exclude leave no symbol"
            }
        }
    }
}

extension PriceTable {
    /// The table restricted to `selection`, in the file's column order; dates on which no kept
    /// symbol has a price are dropped, and `latest` keeps only the kept symbols.
    ///
    /// - Parameter file: names the prices file in errors.
    /// - Throws: ``PriceSelection/Failure`` for a symbol the file lacks or an empty result.
    /// - Complexity: O(dates × symbols).
    public func selecting(_ selection: PriceSelection, file: String) throws(PriceSelection.Failure) -> PriceTable {
        guard selection.symbols != nil || !selection.excluded.isEmpty else { return self }
        let normalize = { (s: String) in IdentifierText.symbol(s) ?? s }
        let wanted = selection.symbols.map { $0.map(normalize) }
        let excluded = selection.excluded.map(normalize)
        let unknown = ((wanted ?? []) + excluded).filter { !symbols.contains($0) }
        if !unknown.isEmpty {
            var seen = Set<String>()
            throw .unknownSymbols(unknown.filter { seen.insert($0).inserted }, file: file)
        }
        let keep = symbols.indices.filter { (wanted?.contains(symbols[$0]) ?? true) && !excluded.contains(symbols[$0]) }
        guard !keep.isEmpty else { throw .nothingSelected(file: file) }
        let days = dates.indices.filter { d in keep.contains { prices[$0][d] != nil } }
        let kept = Set(keep.map { symbols[$0] })
        return PriceTable(dates: days.map { dates[$0] }, symbols: keep.map { symbols[$0] },
                          prices: keep.map { s in days.map { prices[s][$0] } }, latest: latest.filter { kept.contains($0.key) })
    }
}
