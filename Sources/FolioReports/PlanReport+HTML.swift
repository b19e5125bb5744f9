import Foundation
import FolioRebalancing
import Plot

extension PlanReport {
    /// `report.html`: one self-contained page (inline CSS and SVG; no scripts, fonts or
    /// network) with the allocation before and after by asset class, drift against the
    /// bands, the trades, the tax summary and the warnings.
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
                .title("\(title) — rebalance plan"),
                .style(Self.css)
            ),
            .body(
                .header(
                    .h1("\(title)"),
                    .p("Rebalance plan as of \(asOf.map(ReportFormat.date) ?? "?") · \(plans.count) account\(plans.count == 1 ? "" : "s") · value \(money(valueBefore))")
                ),
                .section(.class("cards"),
                    .forEach([
                        ("Trades", "\(trades.count)"), ("Sells", money(total(\.totalSells))), ("Buys", money(total(\.totalBuys))),
                        ("Costs", money(total(\.totalCosts))), ("Estimated tax", ReportFormat.tax(estimatedTax)),
                        ("Turnover", ReportFormat.percent(turnover)),
                    ]) { card in .div(.class("card"), .span(.class("label"), .text(card.0)), .span(.class("value"), .text(card.1))) }
                ),
                .section(
                    .h2("Trigger"),
                    .ul(.forEach(plans) { plan in .li(.text("\(plan.accountID) (\(plan.accountKind.rawValue)): \(plan.trigger.explanation)")) })
                ),
                .section(.h2("Allocation by asset class"), .div(.class("chart"), .raw(bars)),
                    .table(
                        .thead(.tr(.th("Asset class"), .th(.class("num"), "Before"), .th(.class("num"), "After"), .th(.class("num"), "Target"), .th(.class("num"), "Drift after"))),
                        .tbody(.forEach(classes) { c in
                            .tr(.td(.text(c)), .td(.class("num"), .text(ReportFormat.percent(before[c] ?? 0))),
                                .td(.class("num"), .text(ReportFormat.percent(after[c] ?? 0))),
                                .td(.class("num"), .text(ReportFormat.percent(targets[c] ?? 0))),
                                .td(.class("num"), .text(ReportFormat.points((after[c] ?? 0) - (targets[c] ?? 0)))))
                        })
                    )
                ),
                .if(!drift.isEmpty, .section(.h2("Drift against tolerance bands"), .div(.class("chart"), .raw(drift)))),
                .section(.h2("Trades"),
                    .if(trades.isEmpty, .p("No trades.")),
                    .if(!trades.isEmpty, .table(
                        .thead(.tr(.th("Account"), .th("Side"), .th("Symbol"), .th(.class("num"), "Quantity"), .th(.class("num"), "Price"),
                                   .th(.class("num"), "Value"), .th(.class("num"), "Cost"), .th(.class("num"), "Realized gain"), .th("Reason"))),
                        .tbody(.forEach(trades) { t in
                            .tr(.class(t.side.rawValue),
                                .td(.text(t.accountID)), .td(.text(t.side.rawValue)),
                                .td(.text(t.symbol), .if(names[t.symbol] != nil, .span(.class("name"), .text(" " + (names[t.symbol] ?? ""))))),
                                .td(.class("num"), .text(ReportFormat.quantity(t.quantity))), .td(.class("num"), .text(money(t.price))),
                                .td(.class("num"), .text(money(t.grossValue))), .td(.class("num"), .text(money(t.cost))),
                                .td(.class("num"), .text(t.side == .sell ? money(t.realizedGain) : "")), .td(.text(t.reason.description)))
                        })
                    ))
                ),
                .section(.h2("Taxes and cash"),
                    .table(
                        .thead(.tr(.th("Account"), .th("Kind"), .th(.class("num"), "Short-term gain"), .th(.class("num"), "Long-term gain"),
                                   .th(.class("num"), "Estimated tax"), .th(.class("num"), "Cash before"), .th(.class("num"), "Cash after"))),
                        .tbody(
                            .forEach(plans) { p in
                                .tr(.td(.text(p.accountID)), .td(.text(p.accountKind.rawValue)),
                                    .td(.class("num"), .text(money(p.realizedShortTermGain))), .td(.class("num"), .text(money(p.realizedLongTermGain))),
                                    .td(.class("num"), .text(ReportFormat.tax(p.estimatedTax))), .td(.class("num"), .text(money(p.cashBefore))),
                                    .td(.class("num"), .text(money(p.cashAfter))))
                            },
                            .tr(.class("total"), .td("Household"), .td(""),
                                .td(.class("num"), .text(money(total(\.realizedShortTermGain)))), .td(.class("num"), .text(money(total(\.realizedLongTermGain)))),
                                .td(.class("num"), .text(ReportFormat.tax(estimatedTax))), .td(.class("num"), .text(money(total(\.cashBefore)))),
                                .td(.class("num"), .text(money(total(\.cashAfter)))))
                        )
                    )
                ),
                .section(.h2("Warnings"),
                    .if(warnings.isEmpty, .p("None.")),
                    .ul(.forEach(warnings) { .li(.text($0)) })
                ),
                .footer(.p("Generated by Folio. Checks: \(checksSentence).")))
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
