import Foundation
import FolioRebalancing

/// Everything a policy backtest needs, read from the advisor's files and checked against each
/// other: the household and target as `folio rebalance` reads them (as of the first date), the
/// price path (and total-return path) with every held or targeted symbol priced on every date,
/// and the policies to compare.
public struct BacktestInputs: Sendable {
    /// The files as a rebalance on the first date reads them (accounts, target, securities,
    /// base policy, asset-location rules).
    public var rebalance: RebalanceInputs
    /// The price path from the first date on.
    public var prices: BacktestPrices
    /// The policies, in the order given.
    public var policies: [BacktestPolicy]
    /// Notes for the advisor about how the files were read.
    public var notes: [String]

    /// The household the backtest starts from.
    public var household: Household { Household(id: "household", accounts: rebalance.accounts) }

    /// A backtester over these inputs with `settings`.
    /// - Parameter settings: Flows, dividends, tax payment.
    /// - Returns: The backtester (the target without its cash line; the base policy's asset
    ///   location rules and scope).
    public func backtester(settings: BacktestSettings) -> PolicyBacktester {
        PolicyBacktester(securities: rebalance.securities, target: rebalance.investedTarget,
                         locate: rebalance.policyFile.assetLocationScope == .household,
                         rules: rebalance.policyFile.assetLocationRules, settings: settings)
    }

    /// Reads and cross-checks the files of a backtest.
    ///
    /// - Parameters:
    ///   - holdingsURL: Holdings CSV or JSON: the household on the first date (lots acquired on
    ///     or before it).
    ///   - targetsURL: Targets YAML or JSON.
    ///   - pricesURL: Prices CSV (wide or long), at any frequency.
    ///   - totalReturnURL: A total-return index file in the same layout (optional): dividends
    ///     are read from it against the prices.
    ///   - policies: Built-in names (``BacktestPolicy/builtInNames``) or policy files.
    ///   - basePolicyURL: The standing rules (costs, taxes, lots, location) for built-in
    ///     policies (optional; else `RebalancePolicy()`'s, with its 37% / 20% rates).
    ///   - securitiesURL: Securities CSV (optional).
    ///   - start: The first date (default the prices' first date).
    ///   - end: The last date (default the prices' last date).
    ///   - dateOrder: How the holdings' slash dates are read (nil: as the file's dates decide).
    /// - Throws: `InputError` naming the file and line of every problem: a held or targeted
    ///   symbol missing from the prices, a gap in its prices, a bad price or date, an unknown
    ///   policy.
    /// - Complexity: O(dates × symbols) after reading the files.
    public static func load(holdings holdingsURL: URL, targets targetsURL: URL, prices pricesURL: URL,
                            totalReturn totalReturnURL: URL? = nil, policies: [String], basePolicy basePolicyURL: URL? = nil,
                            securities securitiesURL: URL? = nil, start: Date? = nil, end: Date? = nil,
                            dateOrder: DateOrder? = nil) throws(InputError) -> BacktestInputs {
        let (table, text) = try readPrices(pricesURL)
        let file = pricesURL.path
        let inRange = table.dates.indices.filter { i in
            (start.map { table.dates[i] >= $0 } ?? true) && (end.map { table.dates[i] <= $0 } ?? true)
        }
        guard inRange.count >= 2, let first = inRange.first else {
            throw .inconsistent(file: file, message: "fewer than two dates between the start and the end; a backtest needs at least two")
        }
        // Every held or targeted symbol must be a column of the prices, named at its header.
        do {
            let held = try HoldingsReader.read(contentsOf: holdingsURL, dateOrder: dateOrder).accounts.flatMap { $0.positions.map(\.symbol) }
            let targeted = try TargetsReader.read(contentsOf: targetsURL).symbols
            let columns = Set(table.symbols)
            var issues = IssueCollector(file: file)
            var seen = Set<String>()
            for symbol in held + targeted where symbol != TargetAllocation.cashSymbol && !columns.contains(symbol) && seen.insert(symbol).inserted {
                issues.add(line: 1, column: 1, found: symbol,
                           expected: "a prices column for \(symbol), which the holdings hold or the target names")
            }
            try issues.check()
        } catch {
            throw .file(error)
        }
        let rebalance = try RebalanceInputs.load(holdings: holdingsURL, targets: targetsURL, policy: basePolicyURL,
                                                 securities: securitiesURL, prices: pricesURL, asOf: table.dates[first],
                                                 dateOrder: dateOrder)
        // A lot acquired after the first date is the holdings reader's error at its line (as-of).
        var notes: [String] = []
        let needed = rebalance.securities.map(\.symbol)
        let lines = dateLines(text, file: file, dates: table.dates)
        let closes = try path(table, symbols: needed, dates: inRange, file: file, lines: lines, header: "prices")
        var totalReturns: [String: [Double]] = [:]
        if let totalReturnURL {
            let (tr, trText) = try readPrices(totalReturnURL)
            let wanted = needed.filter { tr.symbols.contains($0) }
            let trLines = dateLines(trText, file: totalReturnURL.path, dates: tr.dates)
            let trDates = Dictionary(uniqueKeysWithValues: tr.dates.enumerated().map { ($1, $0) })
            var issues = IssueCollector(file: totalReturnURL.path)
            var aligned: [Int] = []
            for d in inRange {
                if let i = trDates[table.dates[d]] { aligned.append(i) } else {
                    // Where the row is missing: before the file's next date.
                    let next = tr.dates.firstIndex { $0 > table.dates[d] }.map { trLines[$0] } ?? (trLines.max() ?? 1) + 1
                    issues.add(line: next, column: 1, found: "",
                               expected: "a total-return row for \(ISODate.format(table.dates[d])), a date of the prices (\(file):\(lines[d]))")
                }
            }
            do { try issues.check() } catch { throw .file(error) }
            let series = try path(tr, symbols: wanted, dates: aligned, file: totalReturnURL.path, lines: trLines, header: "total-return")
            for (k, symbol) in wanted.enumerated() { totalReturns[symbol] = series[k] }
            let without = needed.filter { totalReturns[$0] == nil }
            if !without.isEmpty { notes.append("no total-return series for \(without.joined(separator: ", ")): no dividends for them") }
        }
        let prices: BacktestPrices
        do {
            prices = try BacktestPrices(dates: inRange.map { table.dates[$0] }, symbols: needed, closes: closes, totalReturns: totalReturns)
        } catch {
            throw .inconsistent(file: file, message: error.description)
        }
        let policyList = try readPolicies(policies, base: basePolicyURL, rebalance: rebalance, notes: &notes)
        return BacktestInputs(rebalance: rebalance, prices: prices, policies: policyList, notes: rebalance.notes + notes)
    }

    /// A prices file as a table, and its text (for the lines of its dates).
    static func readPrices(_ url: URL) throws(InputError) -> (PriceTable, String) {
        do {
            let text = try HoldingsReader.readText(url)
            return (try PricesReader.parse(text, file: url.path), text)
        } catch {
            throw .file(error)
        }
    }

    /// The line of each date's first row in a prices file (0 when not found).
    static func dateLines(_ text: String, file: String, dates: [Date]) -> [Int] {
        guard let csv = try? CSVTable(parsing: text, file: file) else { return dates.map { _ in 0 } }
        var firstLine: [Date: Int] = [:]
        let header = csv.records.first?.fields.map { $0.text.lowercased() } ?? []
        let dateColumn = header.firstIndex { ["date", "as of", "day"].contains($0) } ?? 0
        let records = csv.records.dropFirst().filter { $0.fields.count > dateColumn }
        let order = ColumnDates(cells: records.map { ($0.fields[dateColumn].text, $0.line) }, given: nil, file: file, option: nil)
        for record in records {
            if let d = order.parse(record.fields[dateColumn].text), firstLine[d] == nil { firstLine[d] = record.line }
        }
        return dates.map { firstLine[$0] ?? 0 }
    }

    /// The series of `symbols` on `dates` (indices into `table.dates`): every symbol must be a
    /// column and priced on every date.
    static func path(_ table: PriceTable, symbols: [String], dates: [Int], file: String, lines: [Int],
                     header: String) throws(InputError) -> [[Double]] {
        var issues = IssueCollector(file: file)
        let column = Dictionary(uniqueKeysWithValues: table.symbols.enumerated().map { ($1, $0) })
        var result: [[Double]] = []
        for symbol in symbols {
            guard let s = column[symbol] else {
                issues.add(line: 1, column: 1, found: symbol,
                           expected: "a \(header) column for \(symbol), which the holdings hold or the target names")
                continue
            }
            var series: [Double] = []
            for d in dates {
                if let p = table.prices[s][d] { series.append(p) } else {
                    issues.add(line: lines[d], column: s + 2, columnName: symbol, found: "",
                               expected: "a price of \(symbol) on \(ISODate.format(table.dates[d])): a backtest needs every held or targeted symbol priced on every date (no gaps)")
                }
            }
            result.append(series)
        }
        do { try issues.check() } catch { throw .file(error) }
        return result
    }

    /// Built-in names and policy files as backtest policies.
    static func readPolicies(_ names: [String], base: URL?, rebalance: RebalanceInputs, notes: inout [String]) throws(InputError) -> [BacktestPolicy] {
        let standing = base == nil ? RebalancePolicy().keepingCash(rebalance.cashWeight) : rebalance.policy
        if base == nil, names.contains(where: { BacktestPolicy.builtIn($0) != nil }) {
            notes.append("built-in policies use the default standing rules (tax-minimizing lots, 37% short-term and 20% long-term rates, no costs); give --base-policy to change them")
        }
        var result: [BacktestPolicy] = []
        for name in names {
            if let builtIn = BacktestPolicy.builtIn(name, standing: standing) {
                result.append(builtIn)
                continue
            }
            let url = URL(fileURLWithPath: name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw .inconsistent(file: name, message: "not a policy file and not a built-in policy (\(BacktestPolicy.builtInNames.joined(separator: ", ")))")
            }
            let file: PolicyFile
            do { file = try PolicyReader.read(contentsOf: url) } catch { throw .file(error) }
            var label = url.deletingPathExtension().lastPathComponent
            if label.isEmpty || result.contains(where: { $0.name == label }) { label = name }
            result.append(BacktestPolicy(name: label, policy: file.standingPolicy.keepingCash(rebalance.cashWeight)))
        }
        return result
    }
}
