import Foundation
import FolioPlanning
import FolioRebalancing

/// A problem that spans files, or one file's problems.
public enum InputError: Error, Sendable, CustomStringConvertible {
    /// One file's problems, each with its line and column.
    case file(FileError)
    /// Files that do not fit together (a held symbol with no price anywhere, a cash flow for
    /// an unknown account), naming the file and the value.
    case inconsistent(file: String, message: String)

    /// One line per problem.
    public var description: String {
        switch self {
        case .file(let error): return error.description
        case .inconsistent(let file, let message): return "\(file): \(message)"
        }
    }
}

/// Everything one rebalance needs, read from the advisor's files and checked against each
/// other: accounts (with restrictions), the target, the policy, the security master and the
/// prices as of the trade date.
public struct RebalanceInputs: Sendable {
    /// The holdings as read.
    public var holdings: Holdings
    /// The accounts, with the policy file's restrictions applied.
    public var accounts: [Account]
    /// The target as written (with its cash line, if any).
    public var target: TargetAllocation
    /// The target without its cash line, rescaled to the invested part.
    public var investedTarget: TargetAllocation
    /// The target's cash weight (0 when it has none).
    public var cashWeight: Double
    /// The policy the accounts are rebalanced with: the policy file (defaults when none was
    /// given) with the client profile's tax rates and exclusions, when a profile was given.
    public var policyFile: PolicyFile
    /// The security master for every held or targeted symbol.
    public var securities: [Security]
    /// Display names by symbol (securities file, else the holdings' descriptions).
    public var names: [String: String]
    /// Prices on the trade date.
    public var prices: Prices
    /// Cash flows given on the command line, by account id.
    public var extraCashFlows: [String: Decimal]
    /// Notes for the advisor about how the files were read.
    public var notes: [String]
    /// The household's or client's name from the files (see
    /// ``RebalanceContext/householdName``), or nil when no file gives one.
    public var householdName: String? = nil
    /// The prices file's whole history (``RebalanceContext/priceTable``), or nil without one.
    public var priceTable: PriceTable? = nil
    /// The prices file's path, for messages.
    public var pricesFile: String? = nil

    /// The policy shared by every account: the file's standing rules, with a reserve of at
    /// least the target's cash weight.
    public var policy: RebalancePolicy { policyFile.standingPolicy.keepingCash(cashWeight) }

    /// What this run knows: each account's pending flows (the policy file's plus the command
    /// line's), the policy file's recent trades, last rebalance and specific lots per account.
    public var context: PlanContext {
        policyFile.context(for: accounts.map(\.id), extraFlows: extraCashFlows)
    }

    /// Reads and cross-checks the files of one rebalance.
    ///
    /// - Parameters:
    ///   - holdingsURL: holdings CSV or JSON (required).
    ///   - targetsURL: targets YAML or JSON (required).
    ///   - policyURL: policy YAML or JSON (defaults apply when nil).
    ///   - profileURL: a client profile (optional): its tax rates apply where the policy sets
    ///     none, and its excluded symbols are not bought in any account.
    ///   - securitiesURL: securities CSV (optional; else whole shares, asset class from the
    ///     holdings or the target).
    ///   - pricesURL: prices CSV (optional; else the holdings' price column).
    ///   - asOf: the trade date (default: the prices file's last date, else today).
    ///   - cashFlows: flows from the command line, account id (or nil for the only account) ->
    ///     amount.
    ///   - dateOrder: how the holdings' slash dates are read (nil: as the file's dates decide).
    /// - Throws: `InputError` naming the file, line and column of every problem found.
    public static func load(holdings holdingsURL: URL, targets targetsURL: URL, policy policyURL: URL? = nil,
                            profile profileURL: URL? = nil, securities securitiesURL: URL? = nil, prices pricesURL: URL? = nil,
                            asOf: Date? = nil, cashFlows: [(account: String?, amount: Decimal)] = [],
                            dateOrder: DateOrder? = nil) throws(InputError) -> RebalanceInputs {
        let context = try RebalanceContext.load(targets: targetsURL, policy: policyURL, profile: profileURL,
                                                securities: securitiesURL, prices: pricesURL, asOf: asOf)
        let holdings: Holdings
        do { holdings = try HoldingsReader.read(contentsOf: holdingsURL, asOf: context.tradeDate, dateOrder: dateOrder ?? context.dateOrder) } catch { throw .file(error) }
        return try assemble(holdings: holdings, file: holdingsURL.path, context: context, cashFlows: cashFlows)
    }

    /// Checks holdings against the shared files of a rebalance and builds the inputs.
    ///
    /// - Parameters:
    ///   - holdings: the holdings as read.
    ///   - file: the holdings' path, for error messages.
    ///   - context: the shared files (target, policy, profile, securities, prices), with a
    ///     target set.
    ///   - cashFlows: flows from the command line, account id (or nil for the only account) ->
    ///     amount.
    ///   - partOfBook: the holdings are part of a larger book (a batch unit): the policy's
    ///     flows for other accounts are not an error.
    /// - Throws: `InputError.inconsistent` naming the file and the symbol or account.
    public static func assemble(holdings: Holdings, file: String, context: RebalanceContext,
                                cashFlows: [(account: String?, amount: Decimal)] = [],
                                partOfBook: Bool = false) throws(InputError) -> RebalanceInputs {
        precondition(context.hasTarget, "Set a target on the context before assembling inputs")
        var notes = context.notes + holdings.notes
        let accountIDs = Set(holdings.accounts.map(\.id))
        var prices = holdings.prices
        for (symbol, price) in context.prices { prices[symbol] = price }

        // Security master: the securities file, else the holdings' or the target's class.
        let investedTarget = context.investedTarget
        var master: [String: Security] = [:]
        var names: [String: String] = holdings.descriptions
        for (symbol, name) in context.names { names[symbol] = name }
        let held = holdings.accounts.flatMap { $0.positions.map(\.symbol) }
        var order: [String] = []
        for symbol in held + investedTarget.symbols where master[symbol] == nil && symbol != TargetAllocation.cashSymbol {
            order.append(symbol)
            if let security = context.securities[symbol] {
                master[symbol] = security
            } else if let assetClass = holdings.assetClasses[symbol] ?? context.targetClass[symbol] {
                master[symbol] = Security(symbol: symbol, assetClass: assetClass)
            } else if investedTarget.isByAssetClass {
                throw .inconsistent(file: file,
                                    message: "\(symbol) has no asset class: add an Asset Class column, a securities file, or list it in the target")
            } else {
                master[symbol] = Security(symbol: symbol, assetClass: symbol)
            }
        }
        for symbol in order where prices[symbol] == nil {
            let inTarget = investedTarget.symbols.contains(symbol)
            throw .inconsistent(file: context.pricesFile ?? (inTarget ? context.targetsFile : file),
                                message: "no price for \(symbol) (\(inTarget ? "in the target" : "held")); give it in the holdings' price column or a prices file")
        }
        var extra: [String: Decimal] = [:]
        for flow in cashFlows {
            if let account = flow.account {
                guard accountIDs.contains(account) else {
                    throw .inconsistent(file: file, message: "cash flow for unknown account \(account)")
                }
                extra[account, default: 0] += flow.amount
            } else {
                guard holdings.accounts.count == 1 else {
                    throw .inconsistent(file: file, message: "the holdings have \(holdings.accounts.count) accounts: say which one the cash flow is for (ACCOUNT=AMOUNT)")
                }
                extra[holdings.accounts[0].id, default: 0] += flow.amount
            }
        }
        let policyFile = context.effectivePolicyFile
        for flow in policyFile.pendingFlows {
            if let account = flow.account, !accountIDs.contains(account), !partOfBook {
                throw .inconsistent(file: context.policyFileName, message: "pending flow for account \(account), which the holdings do not have")
            }
            if flow.account == nil && (holdings.accounts.count > 1 || partOfBook) {
                throw .inconsistent(file: context.policyFileName, message: "a pending flow without an account, but the holdings have \(holdings.accounts.count) accounts")
            }
        }
        for r in policyFile.restrictions where r.account != nil && !accountIDs.contains(r.account!) {
            notes.append("restriction for account \(r.account!), which these holdings do not have, is ignored")
        }
        var inputs = RebalanceInputs(
            holdings: holdings, accounts: policyFile.applyingRestrictions(to: holdings.accounts), target: context.target,
            investedTarget: investedTarget, cashWeight: context.cashWeight, policyFile: policyFile,
            securities: order.map { master[$0]! }, names: names, prices: Prices(asOf: context.tradeDate, prices),
            extraCashFlows: extra, notes: notes, householdName: context.householdName)
        inputs.priceTable = context.priceTable
        inputs.pricesFile = context.pricesFile
        return inputs
    }
}

/// The files a rebalance shares across households: target, policy, client profile, securities
/// and prices, read once (a batch reads them once for thousands of accounts).
public struct RebalanceContext: Sendable {
    /// The target as written (empty until one is set).
    public private(set) var target: TargetAllocation = .securities([:])
    /// The target without its cash line, rescaled.
    public private(set) var investedTarget: TargetAllocation = .securities([:])
    /// The target's cash weight.
    public private(set) var cashWeight: Double = 0
    /// The targets file's `name:`, or nil.
    public private(set) var targetName: String?
    /// Asset class of each symbol the asset-class target lists.
    public private(set) var targetClass: [String: String] = [:]
    /// Whether a target has been set.
    public private(set) var hasTarget = false
    /// The policy file as read (defaults when none).
    public private(set) var policyFile = PolicyFile()
    /// The client profile whose tax rates and excluded symbols apply, or nil.
    public private(set) var profile: ClientProfile?
    /// The client profile's path, for messages.
    public private(set) var profileFileName: String?
    /// The securities file's securities by symbol.
    public var securities: [String: Security] = [:]
    /// The securities file's display names.
    public var names: [String: String] = [:]
    /// Prices on the trade date from the prices file (empty without one).
    public var prices: [String: Decimal] = [:]
    /// The trade date.
    public var tradeDate: Date
    /// How holdings' slash dates are read (`--date-format`); nil: as each file's dates decide.
    public var dateOrder: DateOrder?
    /// Paths, for messages.
    public private(set) var targetsFile = "targets", policyFileName = "policy"
    /// The prices file's path, for messages.
    public var pricesFile: String?
    /// The prices file as read, every date (an optimizer's risk model estimated from it), or
    /// nil without one.
    public var priceTable: PriceTable?
    /// A running SHA-256 of what the context was read from: the trade date, then the bytes of
    /// each file as it is set (securities, prices, target, policy, profile). A batch stores it,
    /// with each unit's own inputs, in the unit's plan, to tell a plan made from these inputs
    /// from a stale one. Values changed directly (``prices``, ``securities``) are not in it.
    public private(set) var fingerprint = SHA256()

    /// The policy the accounts are rebalanced with: ``policyFile`` with the profile's terms
    /// (`PolicyFile.applying(_:)`) when a profile is set.
    public var effectivePolicyFile: PolicyFile { profile.map(policyFile.applying) ?? policyFile }

    /// The household's or client's name from the files: the targets file's `name:`, else the
    /// client profile's client (and spouse: "Dana Whitcombe-Ferris and Chris Whitcombe-Ferris"),
    /// else nil. Reports use it as their title.
    public var householdName: String? {
        if let targetName { return targetName }
        guard let profile else { return nil }
        let people = ([profile.client] + (profile.spouse.map { [$0] } ?? [])).map(\.name).filter { !$0.isEmpty }
        return people.isEmpty ? nil : people.joined(separator: " and ")
    }

    /// Notes about how the files were read.
    public var notes: [String] {
        var notes: [String] = []
        if let note = taxRatesNote { notes.append(note) }
        if let profile, !profile.constraints.excludedSymbols.isEmpty {
            let symbols = profile.constraints.excludedSymbols.sorted().joined(separator: ", ")
            notes.append("client profile excludes \(symbols): not bought in any account")
        }
        if cashWeight > 0 {
            notes.append(String(format: "the target's cash line (%.2f%%) is kept as a cash reserve; the other lines are fractions of the invested rest", cashWeight * 100))
        }
        return notes
    }

    /// Where the tax rates came from, when a profile is given (which rate applied) or a rate is
    /// unknown (the tax is then not estimated); nil when the policy sets both and no profile
    /// is given.
    var taxRatesNote: String? {
        let own = policyFile.policy, used = effectivePolicyFile.policy
        let percent = { (rate: Decimal) in NSDecimalNumber(decimal: rate * 100).stringValue + "%" }
        let source = { (mine: Decimal?) in mine != nil ? "the policy" : "the client profile" }
        if !used.taxRatesAreKnown {
            let missing = [("short-term", used.shortTermTaxRate), ("long-term", used.longTermTaxRate)]
                .filter { $0.1 == nil }.map(\.0)
            return "no \(missing.joined(separator: " and ")) tax rate\(missing.count > 1 ? "s" : "") (policy taxes.short_term_rate and long_term_rate, or a client profile's tax_rates): realized gains are shown, tax not estimated"
        }
        guard let profileFileName else { return nil }
        if own.taxRatesAreKnown {
            return "tax rates: short-term \(percent(used.shortTermTaxRate!)), long-term \(percent(used.longTermTaxRate!)) from the policy, "
                + "which wins over the client profile (\(profileFileName))"
        }
        return "tax rates: short-term \(percent(used.shortTermTaxRate!)) from \(source(own.shortTermTaxRate)), "
            + "long-term \(percent(used.longTermTaxRate!)) from \(source(own.longTermTaxRate)) (client profile \(profileFileName))"
    }

    /// Reads the shared files of a rebalance.
    ///
    /// - Parameters:
    ///   - targetsURL: the target; may be nil when each household brings its own
    ///     (then set one with `settingTarget(contentsOf:)` before assembling inputs).
    ///   - policyURL: policy YAML or JSON (defaults apply when nil).
    ///   - profileURL: a client profile (optional; see `settingProfile(contentsOf:)`).
    ///   - securitiesURL: securities CSV (optional).
    ///   - pricesURL: prices CSV (optional; it sets the prices on the trade date).
    ///   - asOf: the trade date (default: the prices file's last date, else today).
    /// - Throws: `InputError` naming the file, line and column of every problem found.
    public static func load(targets targetsURL: URL?, policy policyURL: URL? = nil, profile profileURL: URL? = nil,
                            securities securitiesURL: URL? = nil, prices pricesURL: URL? = nil,
                            asOf: Date? = nil) throws(InputError) -> RebalanceContext {
        let entries: [SecuritiesReader.Entry], table: PriceTable?
        do {
            entries = try securitiesURL.map { url throws(FileError) in try SecuritiesReader.read(contentsOf: url) } ?? []
            table = try pricesURL.map { url throws(FileError) in try PricesReader.read(contentsOf: url) }
        } catch {
            throw .file(error)
        }
        let tradeDate: Date
        var prices: [String: Decimal] = [:]
        if let table {
            let date = asOf ?? table.dates.last ?? Date()
            tradeDate = date
            guard let last = table.dates.lastIndex(where: { $0 <= date }) else {
                throw .inconsistent(file: pricesURL!.path, message: "no prices on or before \(ISODate.format(date))")
            }
            // A close read from text as a Double prints back as the same shortest decimal
            // (251.41 -> "251.41"), so the exact price is recovered from its description.
            for (s, symbol) in table.symbols.enumerated() {
                if let d = (0...last).last(where: { table.prices[s][$0] != nil }) {
                    prices[symbol] = Decimal(string: String(table.prices[s][d]!))
                }
            }
        } else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            tradeDate = asOf ?? calendar.startOfDay(for: Date())
        }
        var context = RebalanceContext(tradeDate: tradeDate)
        context.fingerprint.update(field: "trade date " + ISODate.format(tradeDate))
        context.addToFingerprint("securities", securitiesURL)
        context.addToFingerprint("prices", pricesURL)
        // SecuritiesReader refuses a repeated symbol; should one pass, the first wins rather than trap.
        context.securities = Dictionary(entries.map { ($0.security.symbol, $0.security) }, uniquingKeysWith: { first, _ in first })
        context.names = Dictionary(entries.map { ($0.security.symbol, $0.name) }, uniquingKeysWith: { first, _ in first })
        context.prices = prices
        context.pricesFile = pricesURL?.path
        context.priceTable = table
        if let targetsURL { context = try context.settingTarget(contentsOf: targetsURL) }
        if let policyURL { context = try context.settingPolicy(contentsOf: policyURL) }
        if let profileURL { context = try context.settingProfile(contentsOf: profileURL) }
        return context
    }

    init(tradeDate: Date) { self.tradeDate = tradeDate }

    /// Adds a file's role and bytes to ``fingerprint`` (an unreadable file adds its path: the
    /// reader has reported it already).
    mutating func addToFingerprint(_ role: String, _ url: URL?) {
        guard let url else { return }
        fingerprint.update(field: role)
        if let data = try? Data(contentsOf: url) { fingerprint.update(field: data) } else { fingerprint.update(field: "unreadable " + url.path) }
    }

    /// The context with the target read from `url`.
    ///
    /// - Throws: `InputError` for a malformed target or one that is all cash.
    public func settingTarget(contentsOf url: URL) throws(InputError) -> RebalanceContext {
        let document: TargetsReader.Document
        do { document = try TargetsReader.readDocument(contentsOf: url) } catch { throw .file(error) }
        let target = document.target
        let (investedTarget, cashWeight) = target.separatingCash()
        if cashWeight >= 1 {
            throw .inconsistent(file: url.path, message: "the target is all cash; there is nothing to rebalance into")
        }
        var context = self
        context.target = target
        context.targetName = document.name
        context.investedTarget = investedTarget
        context.cashWeight = cashWeight
        context.targetClass = [:]
        for sleeve in investedTarget.sleeves { for member in sleeve.members { context.targetClass[member] = sleeve.assetClass } }
        context.hasTarget = true
        context.targetsFile = url.path
        context.addToFingerprint("targets", url)
        return context
    }

    /// The context with the policy read from `url`.
    ///
    /// - Throws: `InputError` for a malformed policy.
    public func settingPolicy(contentsOf url: URL) throws(InputError) -> RebalanceContext {
        var context = self
        do { context.policyFile = try PolicyReader.read(contentsOf: url) } catch { throw .file(error) }
        context.policyFileName = url.path
        context.addToFingerprint("policy", url)
        return context
    }

    /// The context with the client profile read from `url`: its tax rates apply where the
    /// policy sets none (the policy's own rates win, whichever policy is set later), and its
    /// `constraints.exclude_symbols` are not bought in any account. Files the profile names
    /// (answers, goals, questionnaire) are read and checked too.
    ///
    /// - Throws: `InputError` for a malformed profile, e.g. a tax rate outside [0, 1], naming
    ///   its file, line and column.
    public func settingProfile(contentsOf url: URL) throws(InputError) -> RebalanceContext {
        var context = self
        do { context.profile = try ClientReader.profile(contentsOf: url).profile } catch { throw .file(error) }
        context.profileFileName = url.path
        context.addToFingerprint("profile", url)
        return context
    }
}
