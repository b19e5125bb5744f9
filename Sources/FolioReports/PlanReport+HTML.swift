import Foundation
import FolioRebalancing
import Plot

extension PlanReport {
    /// `report.html`: one self-contained page (inline CSS and SVG; no scripts, fonts or
    /// network) with the allocation before and after by asset class, drift against the
    /// bands, the trades, the tax summary and the warnings.
    ///
    /// Every text and attribute that comes from the data (the title, which is the holdings
    /// folder's name, account ids, symbols, security names, asset classes, warnings) is
    /// escaped with ``SVGChart/escape(_:)`` (`&`, `<`, `>`, `"`, `'`), never with Plot's own
    /// text escaping, which keeps entity-like sequences such as `&lt;` and leaves attributes
    /// raw. A Content-Security-Policy (`default-src 'none'`; inline styles only) makes the
    /// browser refuse any script, image or connection even if markup got through.
    ///
    /// - Complexity: O(trades + holdings).
    public func html() -> String {
        let before = assetClassWeights(after: false), after = assetClassWeights(after: true), targets = assetClassTargets
        let classes = Set(before.keys).union(after.keys).union(targets.keys).sorted()
        let bars = SVGChart.groupedBars(series: ["Before", "After", "Target"], groups: classes.map {
            .init(label: $0, values: [before[$0] ?? 0, after[$0] ?? 0, targets[$0] ?? 0])
        })
        let driftLines = plans.flatMap { plan in
            plan.drift.filter(\.isInTarget).map { (label: "\(plan.accountID) · \($0.line)", before: $0.driftBefore, after: $0.driftAfter, band: $0.band) }
        }
        let drift = driftLines.isEmpty ? "" : SVGChart.drift(lines: driftLines)
        let money = { (value: Decimal) in ReportFormat.money(value) }
        let document = HTML(
            .head(
                .meta(.charset(.utf8)),
                .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">"),
                .raw("<title>" + SVGChart.escape("\(title) — rebalance plan") + "</title>"),
                .style(Self.css)
            ),
            .body(
                .header(
                    .h1(.safe(title)),
                    .p(.safe("Rebalance plan as of \(asOf.map(ReportFormat.date) ?? "?") · \(plans.count) account\(plans.count == 1 ? "" : "s") · value \(money(valueBefore))"))
                ),
                .section(.class("cards"),
                    .forEach([
                        ("Trades", "\(trades.count)"), ("Sells", money(total(\.totalSells))), ("Buys", money(total(\.totalBuys))),
                        ("Costs", money(total(\.totalCosts))), ("Estimated tax", ReportFormat.tax(estimatedTax)),
                        ("Turnover", ReportFormat.percent(turnover)),
                    ]) { card in .div(.class("card"), .span(.class("label"), .safe(card.0)), .span(.class("value"), .safe(card.1))) }
                ),
                .section(
                    .h2("Trigger"),
                    .ul(.forEach(plans) { plan in .li(.safe("\(plan.accountID) (\(plan.accountKind.displayName)): \(plan.trigger.explanation)")) })
                ),
                .section(.h2("Allocation by asset class"), .div(.class("chart"), .raw(bars)),
                    .table(
                        .thead(.tr(.th("Asset class"), .th(.class("num"), "Before"), .th(.class("num"), "After"), .th(.class("num"), "Target"), .th(.class("num"), "Drift after"))),
                        .tbody(.forEach(classes) { c in
                            .tr(.td(.safe(c)), .td(.class("num"), .safe(ReportFormat.percent(before[c] ?? 0))),
                                .td(.class("num"), .safe(ReportFormat.percent(after[c] ?? 0))),
                                .td(.class("num"), .safe(ReportFormat.percent(targets[c] ?? 0))),
                                .td(.class("num"), .safe(ReportFormat.points((after[c] ?? 0) - (targets[c] ?? 0)))))
                        })
                    )
                ),
                .if(!drift.isEmpty, .section(.h2("Drift against tolerance bands"), .div(.class("chart"), .raw(drift)))),
                .section(.h2("Trades"),
                    .if(trades.isEmpty, .p(.safe("No trades."))),
                    .if(!trades.isEmpty, .table(
                        .thead(.tr(.th("Account"), .th("Side"), .th("Symbol"), .th(.class("num"), "Quantity"), .th(.class("num"), "Price"),
                                   .th(.class("num"), "Value"), .th(.class("num"), "Cost"), .th(.class("num"), "Realized gain"), .th("Reason"))),
                        .tbody(.forEach(trades) { t in
                            .tr(.class(t.side.rawValue),
                                .td(.safe(t.accountID)), .td(.safe(t.side.rawValue)),
                                .td(.safe(t.symbol), .if(names[t.symbol] != nil, .span(.class("name"), .safe(" " + (names[t.symbol] ?? ""))))),
                                .td(.class("num"), .safe(ReportFormat.quantity(t.quantity))), .td(.class("num"), .safe(ReportFormat.price(t.price))),
                                .td(.class("num"), .safe(money(t.grossValue))), .td(.class("num"), .safe(money(t.cost))),
                                .td(.class("num"), .safe(t.side == .sell ? money(t.realizedGain) : "")), .td(.safe(t.reason.description)))
                        })
                    ))
                ),
                .section(.h2("Taxes and cash"),
                    .table(
                        .thead(.tr(.th("Account"), .th("Kind"), .th(.class("num"), "Short-term gain"), .th(.class("num"), "Long-term gain"),
                                   .th(.class("num"), "Estimated tax"), .th(.class("num"), "Cash before"), .th(.class("num"), "Cash after"))),
                        .tbody(
                            .forEach(plans) { p in
                                .tr(.td(.safe(p.accountID)), .td(.safe(p.accountKind.displayName)),
                                    .td(.class("num"), .safe(money(p.realizedShortTermGain))), .td(.class("num"), .safe(money(p.realizedLongTermGain))),
                                    .td(.class("num"), .safe(ReportFormat.tax(p.estimatedTax))), .td(.class("num"), .safe(money(p.cashBefore))),
                                    .td(.class("num"), .safe(money(p.cashAfter))))
                            },
                            .tr(.class("total"), .td("Household"), .td(""),
                                .td(.class("num"), .safe(money(total(\.realizedShortTermGain)))), .td(.class("num"), .safe(money(total(\.realizedLongTermGain)))),
                                .td(.class("num"), .safe(ReportFormat.tax(estimatedTax))), .td(.class("num"), .safe(money(total(\.cashBefore)))),
                                .td(.class("num"), .safe(money(total(\.cashAfter)))))
                        )
                    )
                ),
                .section(.h2("Warnings"),
                    .if(warnings.isEmpty, .p(.safe("None."))),
                    .ul(.forEach(warnings) { .li(.safe($0)) })
                ),
                .footer(.p(.safe("Generated by Folio. Checks: \(checksSentence)."))))
        )
        return document.render(indentedBy: .spaces(1)) + "\n"
    }

    /// The footer's sentence on the plans' invariants: all hold; only the cash reserve is
    /// short where a warning explains it; or which checks failed.
    var checksSentence: String {
        if plans.allSatisfy(\.invariants.allHold) {
            return "every plan invariant holds, recomputed from the trades and lots (cash identity to the cent, no lot oversold, gains from the lots, cash ≥ reserve, sells before buys)"
        }
        let failed = failedInvariants.joined(separator: ", ")
        if plans.allSatisfy(\.invariants.isSound) {
            return "cash after trading is below the reserve (\(failed); see the warnings); every other invariant holds"
        }
        return "SOME PLAN INVARIANT FAILED (\(failed)) — review before sending"
    }

    /// The report's Content-Security-Policy: nothing may load or run (no script, image,
    /// font, frame or connection); only the inline `<style>` and SVG presentation apply.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'"

    static let css = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#24292f;max-width:1000px;margin:24px auto;padding:0 16px;}
    h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
    header p{color:#57606a;margin:0}.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
    .card{border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:120px}.card .label{display:block;color:#57606a;font-size:12px}
    .card .value{font-size:20px;font-weight:600}table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
    th,td{border-bottom:1px solid #eaeef2;padding:4px 6px;text-align:left}th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
    tr.sell td:nth-child(2){color:#cf222e}tr.buy td:nth-child(2){color:#1a7f37}tr.total td{font-weight:600}.name{color:#57606a;font-size:11px}
    .chart{overflow-x:auto}footer{margin-top:32px;color:#57606a;font-size:12px}
    """
}

extension Node {
    /// Text from the data, escaped for HTML content and attributes by ``SVGChart/escape(_:)``
    /// (Plot's `.text` leaves entity-like sequences unescaped).
    static func safe(_ text: String) -> Node { .raw(SVGChart.escape(text)) }
}
