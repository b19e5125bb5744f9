import Foundation
import FolioRebalancing

/// Writes JSON exactly as Foundation's `JSONEncoder` does with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]`: two-space indents, `"key" : value`, an empty container as its
/// brackets around a blank line, doubles as Swift's shortest round-trip text without a
/// trailing `.0`, decimals as `Decimal.description`, control characters as `\n`, `\t`, ...
/// or `\u00XX`. The caller writes each object's keys in UTF-8 byte order (what `.sortedKeys`
/// does); ``keys(_:)`` sorts a dictionary's keys that way.
///
/// It exists for speed: `folio batch` writes one plan per account, and `JSONEncoder` spent
/// most of a batch's time (issue 22). `BatchStreamTests.planWriterMatchesJSONEncoder` checks
/// the bytes against `JSONEncoder` on every plan of a generated book and on hostile text.
struct PrettyJSONWriter {
    /// The document so far.
    private(set) var bytes: [UInt8] = []
    private var depth = 0
    /// Whether the container being written has no member yet.
    private var empty = true

    init(capacity: Int = 16_384) { bytes.reserveCapacity(capacity) }

    /// Starts an object (as a value).
    mutating func openObject() { open(UInt8(ascii: "{")) }
    /// Ends the innermost object.
    mutating func closeObject() { close(UInt8(ascii: "}")) }
    /// Starts an array (as a value).
    mutating func openArray() { open(UInt8(ascii: "[")) }
    /// Ends the innermost array.
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        bytes.append(0x0A)
        if empty { bytes.append(0x0A) }
        indent()
        bytes.append(bracket)
        empty = false
    }

    private mutating func indent() {
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    /// Starts the next array element (the separator and indent before its value).
    mutating func element() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        bytes.append(0x0A)
        indent()
        empty = false
    }

    /// Starts the next object member: `"key" : `, then the caller writes the value.
    mutating func key(_ key: String) {
        element()
        string(key)
        bytes.append(0x20); bytes.append(UInt8(ascii: ":")); bytes.append(0x20)
    }

    /// A string value, escaped as `JSONEncoder` escapes it (slashes not escaped).
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let hex = PrettyJSONWriter.hexDigits
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Plain ASCII text written as is (numbers, literals).
    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A `Decimal` as `JSONEncoder` writes it: its description (`12.3`, `-0.0001`).
    mutating func number(_ value: Decimal) { DecimalText.appendDescription(value, to: &bytes) }

    /// A `Double` as `JSONEncoder` writes it: Swift's shortest round-trip text without a
    /// trailing `.0` (`1`, `0.1`, `1e-07`).
    /// - Throws: `EncodingError.invalidValue` for a NaN or an infinity, as `JSONEncoder` does.
    mutating func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Unable to encode Double.\(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        raw(text)
    }

    /// `true` or `false`.
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// `null`.
    mutating func null() { raw("null") }

    /// A dictionary's keys in the order `.sortedKeys` writes them: UTF-8 byte order.
    static func keys<V>(_ dictionary: [String: V]) -> [String] {
        dictionary.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A `[String: Double]` object, keys in byte order.
    mutating func object(_ dictionary: [String: Double]) throws {
        openObject()
        for k in Self.keys(dictionary) {
            key(k)
            try number(dictionary[k]!)
        }
        closeObject()
    }

    /// An array of strings.
    mutating func array(_ strings: [String]) {
        openArray()
        for s in strings { element(); string(s) }
        closeArray()
    }

    /// A date as `YYYY-MM-DD` (UTC), the custom date strategy of ``PlanReport/json()``.
    mutating func date(_ date: Date) { string(PrettyJSONWriter.day(date)) }

    /// `YYYY-MM-DD` of `date` in UTC, the same as ``ReportFormat/date(_:)`` without a
    /// `Calendar` (`CivilDay.civil`, proleptic Gregorian).
    static func day(_ date: Date) -> String {
        let (y, m, d) = CivilDay.civil(CivilDay.of(date))
        guard (0...9_999).contains(y) else { return ReportFormat.date(date) }
        let digits = Array("0123456789".utf8)
        let text: [UInt8] = [digits[y / 1000], digits[y / 100 % 10], digits[y / 10 % 10], digits[y % 10], UInt8(ascii: "-"),
                             digits[m / 10], digits[m % 10], UInt8(ascii: "-"), digits[d / 10], digits[d % 10]]
        return String(decoding: text, as: UTF8.self)
    }
}

extension PlanReport {
    /// The report as JSON, byte for byte what ``json()`` writes, written by a writer made for
    /// plans, without `Encodable`'s machinery (`folio batch` writes its plans with it;
    /// `BatchBenchmarks` compares the two).
    ///
    /// - Throws: `EncodingError.invalidValue` when a weight is not finite (as ``json()``).
    /// - Complexity: O(size of the output).
    public func planJSON() throws -> Data {
        var w = PrettyJSONWriter()
        // Each weight is a Decimal quotient: computed once, for the classes and the securities.
        let weightsBefore = weights(after: false), weightsAfter = weights(after: true)
        let before = assetClassWeights(of: weightsBefore), after = assetClassWeights(of: weightsAfter), targets = assetClassTargets
        let classes = Set(before.keys).union(after.keys).union(targets.keys).sorted()
        let tax = estimatedTax
        let realizedShort = total(\.realizedShortTermGain), realizedLong = total(\.realizedLongTermGain)
        w.openObject()
        w.key("accounts")
        w.openArray()
        for plan in plans { w.element(); try w.plan(plan) }
        w.closeArray()
        // "asOf" < "assetClasses" in byte order ('O' < 's').
        w.key("asOf"); w.string(asOf.map(PrettyJSONWriter.day) ?? "")
        w.key("assetClasses")
        w.openArray()
        for c in classes {
            w.element()
            w.openObject()
            w.key("after"); try w.number(after[c] ?? 0)
            w.key("assetClass"); w.string(c)
            w.key("before"); try w.number(before[c] ?? 0)
            w.key("target"); try w.number(targets[c] ?? 0)
            w.closeObject()
        }
        w.closeArray()
        w.key("cashAfter"); w.number(total(\.cashAfter))
        w.key("cashBefore"); w.number(total(\.cashBefore))
        w.key("deposits"); w.number(total(\.deposit))
        w.key("estimatedTax"); if let tax { w.number(tax) } else { w.null() }
        w.key("failedInvariants"); w.array(failedInvariants)
        if let fingerprint { w.key("fingerprint"); w.string(fingerprint) }
        w.key("invariantsHold"); w.bool(plans.allSatisfy(\.invariants.allHold))
        w.key("realizedGains")
        w.openObject()
        w.key("longTerm"); w.number(realizedLong)
        w.key("shortTerm"); w.number(realizedShort)
        w.closeObject()
        w.key("skippedTrades"); w.array(plans.flatMap { plan in plan.skippedTrades.map { "\(plan.accountID): \($0.description)" } })
        w.key("targetWeights"); try w.object(targetWeights)
        w.key("taxEstimate"); w.string(tax == nil ? ReportFormat.taxNotEstimated : "estimated")
        w.key("title"); w.string(title)
        w.key("totalBuys"); w.number(total(\.totalBuys))
        w.key("totalCosts"); w.number(total(\.totalCosts))
        w.key("totalSells"); w.number(total(\.totalSells))
        w.key("trades")
        w.openArray()
        for plan in plans {
            for t in plan.trades {
                w.element()
                w.openObject()
                w.key("account"); w.string(t.accountID)
                w.key("accountKind"); w.string(plan.accountKind.displayName)
                w.key("cost"); w.number(t.cost)
                if t.side == .sell { w.key("economicGain"); w.number(PlanReport.economicGain(t)) }
                w.key("price"); w.number(t.price)
                w.key("quantity"); w.number(t.quantity)
                w.key("realizedGain"); w.number(plan.accountKind.isTaxable ? t.realizedGain : 0)
                w.key("reason"); w.string(t.reason.description)
                w.key("side"); w.string(t.side.rawValue)
                w.key("symbol"); w.string(t.symbol)
                w.key("value"); w.number(t.grossValue)
                w.closeObject()
            }
        }
        w.closeArray()
        w.key("triggered"); w.bool(plans.contains { $0.trigger.isTriggered || $0.trigger.cashFlowPending })
        w.key("turnover"); try w.number(turnover)
        w.key("warnings"); w.array(warnings)
        w.key("weightsAfter"); try w.object(weightsAfter)
        w.key("weightsBefore"); try w.object(weightsBefore)
        w.key("withdrawals"); w.number(total(\.withdrawal))
        w.closeObject()
        w.raw("\n")
        return Data(w.bytes)
    }
}

extension PrettyJSONWriter {
    /// One account's `RebalancePlan`, as its `Encodable` conformance writes it (dates as
    /// `YYYY-MM-DD`). Keys in byte order.
    mutating func plan(_ p: RebalancePlan) throws {
        openObject()
        key("accountID"); string(p.accountID)
        key("accountKind"); string(p.accountKind.rawValue)
        key("accountValueBefore"); number(p.accountValueBefore)
        key("appliedMode"); string(p.appliedMode.rawValue)
        key("assetClasses")
        openArray()
        for c in p.assetClasses {
            element()
            openObject()
            key("assetClass"); string(c.assetClass)
            key("marketValueAfter"); number(c.marketValueAfter)
            key("marketValueBefore"); number(c.marketValueBefore)
            key("targetWeight"); try number(c.targetWeight)
            key("weightAfter"); try number(c.weightAfter)
            key("weightBefore"); try number(c.weightBefore)
            closeObject()
        }
        closeArray()
        key("cashAfter"); number(p.cashAfter)
        key("cashBefore"); number(p.cashBefore)
        key("cashReserve"); number(p.cashReserve)
        key("deposit"); number(p.deposit)
        key("drift")
        openArray()
        for d in p.drift {
            element()
            openObject()
            key("band"); try number(d.band)
            key("isInTarget"); bool(d.isInTarget)
            key("line"); string(d.line)
            key("targetWeight"); try number(d.targetWeight)
            key("weightAfter"); try number(d.weightAfter)
            key("weightBefore"); try number(d.weightBefore)
            closeObject()
        }
        closeArray()
        key("estimatedTax"); if let tax = p.estimatedTax { number(tax) } else { null() }
        key("holdings")
        openArray()
        for h in p.holdings {
            element()
            openObject()
            key("assetClass"); string(h.assetClass)
            key("marketValueAfter"); number(h.marketValueAfter)
            key("marketValueBefore"); number(h.marketValueBefore)
            key("price"); number(h.price)
            key("quantityAfter"); number(h.quantityAfter)
            key("quantityBefore"); number(h.quantityBefore)
            key("symbol"); string(h.symbol)
            key("targetWeight"); try number(h.targetWeight)
            key("weightAfter"); try number(h.weightAfter)
            key("weightBefore"); try number(h.weightBefore)
            closeObject()
        }
        closeArray()
        key("invariants")
        let i = p.invariants
        openObject()
        // "tradeValuesExact" < "tradesMeetMinimum" in byte order ('V' < 's').
        for (name, holds) in [("cashAtLeastReserve", i.cashAtLeastReserve), ("cashIdentityHolds", i.cashIdentityHolds),
                              ("cashNonNegative", i.cashNonNegative), ("gainsMatchLots", i.gainsMatchLots),
                              ("holdingsMatchTrades", i.holdingsMatchTrades), ("noLotOversold", i.noLotOversold),
                              ("reserveShortfallExplained", i.reserveShortfallExplained), ("sellsBeforeBuys", i.sellsBeforeBuys),
                              ("tradeValuesExact", i.tradeValuesExact), ("tradesMeetMinimum", i.tradesMeetMinimum),
                              ("withinTaxBudget", i.withinTaxBudget)] {
            key(name); bool(holds)
        }
        closeObject()
        key("investableValue"); number(p.investableValue)
        key("maxAbsoluteDriftAfter"); try number(p.maxAbsoluteDriftAfter)
        key("maxAbsoluteDriftBefore"); try number(p.maxAbsoluteDriftBefore)
        key("realizedLongTermGain"); number(p.realizedLongTermGain)
        key("realizedShortTermGain"); number(p.realizedShortTermGain)
        key("skippedTrades")
        openArray()
        for s in p.skippedTrades {
            element()
            openObject()
            key("approximateValue"); number(s.approximateValue)
            key("quantity"); number(s.quantity)
            key("reason"); string(s.reason.rawValue)
            key("side"); string(s.side.rawValue)
            key("symbol"); string(s.symbol)
            closeObject()
        }
        closeArray()
        key("totalBuys"); number(p.totalBuys)
        key("totalCosts"); number(p.totalCosts)
        key("totalSells"); number(p.totalSells)
        // "tradeDate" < "trades" ('D' < 's').
        key("tradeDate"); date(p.tradeDate)
        key("trades")
        openArray()
        for t in p.trades { element(); try trade(t) }
        closeArray()
        key("trigger")
        openObject()
        if let breached = p.trigger.bandBreached { key("bandBreached"); bool(breached) }
        if let due = p.trigger.calendarDue { key("calendarDue"); bool(due) }
        key("cashFlowPending"); bool(p.trigger.cashFlowPending)
        key("explanation"); string(p.trigger.explanation)
        key("isTriggered"); bool(p.trigger.isTriggered)
        closeObject()
        key("turnover"); try number(p.turnover)
        key("warnings")
        openArray()
        for warning in p.warnings {
            element()
            openObject()
            key("kind"); string(warning.kind.rawValue)
            key("message"); string(warning.message)
            key("subject"); string(warning.subject)
            closeObject()
        }
        closeArray()
        key("withdrawal"); number(p.withdrawal)
        closeObject()
    }

    /// One `Trade`, as its synthesized `Encodable` conformance writes it.
    mutating func trade(_ t: Trade) throws {
        openObject()
        key("accountID"); string(t.accountID)
        key("cost"); number(t.cost)
        key("grossValue"); number(t.grossValue)
        key("lots")
        openArray()
        for lot in t.lots {
            element()
            openObject()
            key("acquired"); date(lot.acquired)
            key("costBasis"); number(lot.costBasis)
            key("lotID"); string(lot.lotID)
            key("proceeds"); number(lot.proceeds)
            key("quantity"); number(lot.quantity)
            key("realizedGain"); number(lot.realizedGain)
            key("term"); string(lot.term.rawValue)
            closeObject()
        }
        closeArray()
        key("price"); number(t.price)
        key("quantity"); number(t.quantity)
        key("realizedGain"); number(t.realizedGain)
        key("reason")
        openObject()
        if let band = t.reason.bandPoints { key("bandPoints"); try number(band) }
        key("driftPoints"); try number(t.reason.driftPoints)
        key("kind"); string(t.reason.kind.rawValue)
        key("line"); string(t.reason.line)
        if let related = t.reason.relatedSymbol { key("relatedSymbol"); string(related) }
        closeObject()
        key("side"); string(t.side.rawValue)
        key("symbol"); string(t.symbol)
        closeObject()
    }
}

