import Foundation
import FolioPlanning
import FolioRebalancing

/// The broad groups the HTML report orders asset classes by: equity, fixed income, real
/// assets, cash, then anything it cannot place.
enum ReportAssetGroup: Int, CaseIterable, Comparable, Sendable {
    case equity, fixedIncome, realAssets, cash, other

    /// The group's heading in the report.
    var title: String {
        switch self {
        case .equity: return "Equity"
        case .fixedIncome: return "Fixed income"
        case .realAssets: return "Real assets"
        case .cash: return "Cash"
        case .other: return "Other"
        }
    }

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The group of an asset class id: its group in Folio's bundled model portfolios
    /// (`ModelPortfolios.standard`, where REITs count as equity), else by the words in the id
    /// (`bond`, `treasury`, `tips`, `yield`, `credit`, `muni` → fixed income; `gold`,
    /// `commodit`, `real-estate`, `real-asset`, `metal` → real assets; `cash`, `money` → cash;
    /// `equity`, `stock`, `cap`, `intl`, `international`, `emerging`, `developed`, `reit` →
    /// equity), else ``other``.
    ///
    /// - Complexity: O(length of the id).
    init(assetClass: String) {
        if let known = Self.standard[assetClass] { self = known; return }
        let id = assetClass.lowercased()
        let has = { (words: [String]) in words.contains { id.contains($0) } }
        if has(["cash", "money"]) { self = .cash }
        else if has(["bond", "treasur", "tips", "yield", "credit", "muni", "fixed", "income", "debt"]) { self = .fixedIncome }
        else if has(["gold", "commodit", "real-estate", "real estate", "real-asset", "real asset", "metal", "infrastructure"]) { self = .realAssets }
        else if has(["equit", "stock", "cap", "intl", "international", "emerging", "developed", "reit", "growth", "value", "dividend"]) { self = .equity }
        else { self = .other }
    }

    /// Groups (and their order) of the bundled model portfolios' classes.
    static let standard: [String: ReportAssetGroup] = Dictionary(
        ModelPortfolios.standard.assetClasses.map { info in
            (info.id, { switch info.group {
                case .equity: return ReportAssetGroup.equity
                case .fixedIncome: return .fixedIncome
                case .realAssets: return .realAssets
                case .cash: return .cash
            } }())
        }, uniquingKeysWith: { first, _ in first })

    /// Position of a class in the bundled models' order (unknown classes after, by id).
    static let standardOrder: [String: Int] = Dictionary(
        ModelPortfolios.standard.assetClasses.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// `classes` grouped: groups in the order equity, fixed income, real assets, cash, other;
    /// within a group the bundled models' order, then the rest by id.
    ///
    /// - Complexity: O(c log c) for c classes.
    static func grouped(_ classes: [String]) -> [(group: ReportAssetGroup, classes: [String])] {
        let sorted = classes.sorted { a, b in
            let (ga, gb) = (ReportAssetGroup(assetClass: a), ReportAssetGroup(assetClass: b))
            if ga != gb { return ga < gb }
            let (oa, ob) = (standardOrder[a] ?? Int.max, standardOrder[b] ?? Int.max)
            return oa != ob ? oa < ob : a < b
        }
        return allCases.compactMap { group in
            let members = sorted.filter { ReportAssetGroup(assetClass: $0) == group }
            return members.isEmpty ? nil : (group, members)
        }
    }
}

/// How the HTML report writes account numbers: in full, or masked to the last four
/// characters (`••••4466`), more when two accounts share their last four, so masked
/// numbers still tell the accounts apart.
struct AccountNumbers: Sendable {
    /// The text shown for each account id.
    let shown: [String: String]
    /// Ids longer than four characters, longest first (replaced inside free text).
    private let replaceable: [String]

    /// Masks `ids` unless `showingInFull`.
    ///
    /// - Complexity: O(n² × length) for n accounts (a household has a handful).
    init(_ ids: [String], showingInFull: Bool) {
        let unique = Array(Set(ids))
        var shown: [String: String] = [:]
        for id in unique {
            guard !showingInFull else { shown[id] = id; continue }
            var keep = min(4, id.count)
            while keep < id.count, unique.contains(where: { $0 != id && $0.suffix(keep) == id.suffix(keep) }) { keep += 1 }
            shown[id] = Self.mask + id.suffix(keep)
        }
        self.shown = shown
        self.replaceable = showingInFull ? [] : unique.filter { $0.count > 4 }.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// The mask's leading dots.
    static let mask = "••••"

    /// The text shown for account `id`.
    func label(_ id: String) -> String { shown[id] ?? id }

    /// `text` with every account id in it masked, in one pass (a masked number is never masked
    /// again, and the longest id wins where two start at the same place).
    ///
    /// - Complexity: O(text length × accounts).
    func masking(_ text: String) -> String {
        guard !replaceable.isEmpty else { return text }
        var out = "", rest = Substring(text)
        while !rest.isEmpty {
            if let id = replaceable.first(where: { rest.hasPrefix($0) }) {
                out += shown[id] ?? id
                rest = rest.dropFirst(id.count)
            } else {
                out.append(rest.removeFirst())
            }
        }
        return out
    }
}

extension PlanReport {
    /// Each plan's warnings, with the account they belong to (the notes are apart).
    var accountWarnings: [(accountID: String, text: String)] {
        plans.flatMap { plan in plan.warnings.map { (plan.accountID, $0.description) } }
    }

    /// Each plan's skipped trades, with their account.
    var skipped: [(accountID: String, trade: SkippedTrade)] {
        plans.flatMap { plan in plan.skippedTrades.map { (plan.accountID, $0) } }
    }

    /// `text` as a CSS string literal: every character but ASCII letters, digits and spaces
    /// written as a hexadecimal escape (`<` is `\3C `), so no name can end the string or the
    /// `<style>` element.
    ///
    /// - Complexity: O(text length).
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar == " " || CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\" + String(scalar.value, radix: 16, uppercase: true) + " "
            }
        }
        return out + "\""
    }
}
