import Foundation
import FolioRebalancing
import Plot

extension PlanReport {
    /// `report.html`: one self-contained page (inline CSS and SVG; no scripts, fonts or
    /// network) with the allocation before and after by asset class (grouped: equity, fixed
    /// income, real assets, cash, other), drift against the bands, the trades, the trades that
    /// were skipped and why, the tax summary, the warnings, the notes apart from them, and a
    /// disclosures footer.
    ///
    /// On screen the page fits any width from a 390 px phone up: the charts scale with their
    /// `viewBox` (a phone gets a version with the labels above the bars), and each table
    /// scrolls inside its own box. Printed, every page carries the client's name, the date and
    /// "Page N of M" in CSS page-margin boxes (`@page { @top-left … }`, printed by Chromium
    /// 131 and later), and the charts and tables are laid out to the page, with no scroll bars.
    ///
    /// Account numbers are masked to their last four characters (`••••4466`; more when two
    /// accounts share them) unless `showingAccountNumbers`, in the tables, the chart labels and
    /// every warning and note that names an account.
    ///
    /// Every text and attribute that comes from the data (the title, which is the household's
    /// name, account ids, symbols, security names, asset classes, warnings) is escaped with
    /// ``SVGChart/escape(_:)`` (`&`, `<`, `>`, `"`, `'`), never with Plot's own text escaping,
    /// which keeps entity-like sequences such as `&lt;` and leaves attributes raw; in the print
    /// stylesheet the title is a CSS string with every other character hex-escaped. A
    /// Content-Security-Policy (`default-src 'none'`; inline styles only) makes the browser
    /// refuse any script, image or connection even if markup got through.
    ///
    /// - Parameter showingAccountNumbers: write account numbers in full.
    /// - Complexity: O(trades + holdings + (warnings' length) × accounts).
    public func html(showingAccountNumbers: Bool = false) -> String {
        let accounts = AccountNumbers(plans.map(\.accountID), showingInFull: showingAccountNumbers)
        let date = asOf.map(ReportFormat.date) ?? "?"
        let document = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
                .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"\(Self.contentSecurityPolicy)\">"),
                .raw("<title>" + SVGChart.escape("\(title) — rebalance plan") + "</title>"),
                .style(Self.css + Self.pageCSS(title: title, date: date))
            ),
            .body(
                .header(.class("page-header"),
                    .p(.class("kicker"), .safe("Rebalance plan")),
                    .h1(.safe(title)),
                    .p(.safe("As of \(date) · \(plans.count) account\(plans.count == 1 ? "" : "s") · value \(ReportFormat.money(valueBefore))"))
                ),
                .main(
                    summaryCards,
                    .section(
                        .h2("Why the plan trades"),
                        .ul(.forEach(plans) { plan in
                            .li(.safe("\(accounts.label(plan.accountID)) (\(plan.accountKind.displayName)): \(accounts.masking(plan.trigger.explanation))"))
                        })
                    ),
                    allocationSection(accounts),
                    tradesSection(accounts),
                    skippedSection(accounts),
                    taxSection(accounts),
                    .section(.h2("Warnings"),
                        .if(accountWarnings.isEmpty, .p(.safe("None."))),
                        .if(!accountWarnings.isEmpty, .ul(.forEach(accountWarnings) { warning in
                            .li(.safe("\(accounts.label(warning.accountID)): \(accounts.masking(warning.text))"))
                        }))
                    ),
                    .if(!notes.isEmpty, .section(.h2("Notes on the inputs"),
                        .ul(.forEach(notes) { .li(.safe(accounts.masking($0))) })))
                ),
                .footer(.class("disclosures"),
                    .h2("Disclosures"),
                    .p(.safe("This is a proposed rebalance for review, computed by Folio from the holdings, prices and policy files as of \(date); no order has been sent. Prices are the last close on or before that date, so executed prices and values will differ. Estimated tax applies the stated tax rates to the realized gains and is not tax advice; gains in tax-deferred and tax-exempt accounts are not taxed when realized.")),
                    .p(.safe("Checks: \(checksSentence).")),
                    .p(.safe(showingAccountNumbers ? "Account numbers are shown in full." : "Account numbers are masked to their last characters."))
                )
            )
        )
        return document.render(indentedBy: .spaces(1)) + "\n"
    }

    // MARK: Sections

    private var summaryCards: Node<HTML.BodyContext> {
        .section(.class("cards"), .attribute(named: "aria-label", value: "Summary"),
            .forEach([
                ("Trades", "\(trades.count)"), ("Sells", ReportFormat.money(total(\.totalSells))), ("Buys", ReportFormat.money(total(\.totalBuys))),
                ("Costs", ReportFormat.money(total(\.totalCosts))), ("Estimated tax", ReportFormat.tax(estimatedTax)),
                ("Turnover", ReportFormat.percent(turnover)),
            ]) { card in .div(.class("card"), .span(.class("label"), .safe(card.0)), .span(.class("value"), .safe(card.1))) }
        )
    }

    private func allocationSection(_ accounts: AccountNumbers) -> Node<HTML.BodyContext> {
        let before = assetClassWeights(after: false), after = assetClassWeights(after: true), targets = assetClassTargets
        let grouped = ReportAssetGroup.grouped(Array(Set(before.keys).union(after.keys).union(targets.keys)))
        let groups = grouped.flatMap(\.classes).map { c in
            SVGChart.BarGroup(label: c, values: [before[c] ?? 0, after[c] ?? 0, targets[c] ?? 0])
        }
        let series = ["Before", "After", "Target"]
        let sum = { (weights: [String: Double], classes: [String]) in classes.reduce(0.0) { $0 + (weights[$1] ?? 0) } }
        let driftLines = plans.flatMap { plan in
            plan.drift.filter(\.isInTarget).map { (label: "\(accounts.label(plan.accountID)) · \($0.line)", before: $0.driftBefore, after: $0.driftAfter, band: $0.band) }
        }
        return .group(
            .section(.h2("Allocation by asset class"),
                chart(wide: SVGChart.groupedBars(series: series, groups: groups),
                      narrow: SVGChart.groupedBars(series: series, groups: groups, width: 360, layout: .stacked)),
                table("allocation", caption: "Allocation by asset class: weights before and after the trades, the target, and the drift after",
                      headers: [("Asset class", false), ("Before", true), ("After", true), ("Target", true), ("Drift after", true)],
                      body: .forEach(grouped) { entry in
                          .group(
                              .tr(.class("group"),
                                  .th(.attribute(named: "scope", value: "row"), .safe(entry.group.title)),
                                  .forEach([sum(before, entry.classes), sum(after, entry.classes), sum(targets, entry.classes)]) { .td(.class("num"), .safe(ReportFormat.percent($0))) },
                                  .td(.class("num"), .safe(ReportFormat.points(sum(after, entry.classes) - sum(targets, entry.classes))))),
                              .forEach(entry.classes) { c in
                                  .tr(.th(.attribute(named: "scope", value: "row"), .class("member"), .safe(c)),
                                      .td(.class("num"), .safe(ReportFormat.percent(before[c] ?? 0))),
                                      .td(.class("num"), .safe(ReportFormat.percent(after[c] ?? 0))),
                                      .td(.class("num"), .safe(ReportFormat.percent(targets[c] ?? 0))),
                                      .td(.class("num"), .safe(ReportFormat.points((after[c] ?? 0) - (targets[c] ?? 0)))))
                              })
                      })
            ),
            .if(!driftLines.isEmpty, .section(.h2("Drift against tolerance bands"),
                .p(.class("hint"), .safe("Each row is one target line of one account: the shaded, outlined band is its tolerance band around the target; the ring is the drift before the trades, the dot the drift after.")),
                chart(wide: SVGChart.drift(lines: driftLines), narrow: SVGChart.drift(lines: driftLines, width: 360, layout: .stacked))))
        )
    }

    private func tradesSection(_ accounts: AccountNumbers) -> Node<HTML.BodyContext> {
        .section(.h2("Trades"),
            .if(trades.isEmpty, .p(.safe("No trades."))),
            .if(!trades.isEmpty, table("trades", caption: "Trades to send: sells before buys, account by account",
                headers: [("Account", false), ("Side", false), ("Symbol", false), ("Quantity", true), ("Price", true),
                          ("Value", true), ("Cost", true), ("Realized gain", true), ("Reason", false)],
                body: .forEach(trades) { t in
                    .tr(.class(t.side.rawValue),
                        .td(.class("id"), .safe(accounts.label(t.accountID))), .td(.safe(t.side.rawValue)),
                        .td(.safe(t.symbol), .if(names[t.symbol] != nil, .span(.class("name"), .safe(names[t.symbol] ?? "")))),
                        .td(.class("num"), .safe(ReportFormat.quantity(t.quantity))), .td(.class("num"), .safe(ReportFormat.price(t.price))),
                        .td(.class("num"), .safe(ReportFormat.money(t.grossValue))), .td(.class("num"), .safe(ReportFormat.money(t.cost))),
                        .td(.class("num"), .safe(Self.gainCell(t, in: kind(of: t), money: { ReportFormat.money($0) }))),
                        .td(.class("reason"), .safe(accounts.masking(t.reason.description))))
                }))
        )
    }

    private func skippedSection(_ accounts: AccountNumbers) -> Node<HTML.BodyContext> {
        .section(.h2("Trades not sent"),
            .if(skipped.isEmpty, .p(.safe("None: every wanted trade is in the list above."))),
            .if(!skipped.isEmpty, table("skipped", caption: "Trades the plan wanted but does not send, and why",
                headers: [("Account", false), ("Side", false), ("Symbol", false), ("Quantity", true), ("About", true), ("Why not sent", false)],
                body: .forEach(skipped) { s in
                    .tr(.td(.class("id"), .safe(accounts.label(s.accountID))), .td(.safe(s.trade.side.rawValue)), .td(.safe(s.trade.symbol)),
                        .td(.class("num"), .safe(s.trade.quantity == 0 ? "" : ReportFormat.quantity(s.trade.quantity))),
                        .td(.class("num"), .safe(ReportFormat.money(s.trade.approximateValue))),
                        .td(.class("reason"), .safe(s.trade.reason.explanation(s.trade.side))))
                }))
        )
    }

    private func taxSection(_ accounts: AccountNumbers) -> Node<HTML.BodyContext> {
        let money = { (value: Decimal) in ReportFormat.money(value) }
        return .section(.h2("Taxes and cash"),
            table("taxes", caption: "Realized gains, estimated tax and cash, by account",
                  headers: [("Account", false), ("Kind", false), ("Short-term gain", true), ("Long-term gain", true),
                            ("Estimated tax", true), ("Cash before", true), ("Cash after", true)],
                  body: .group(
                    .forEach(plans) { p in
                        .tr(.th(.attribute(named: "scope", value: "row"), .class("id"), .safe(accounts.label(p.accountID))), .td(.safe(p.accountKind.displayName)),
                            .td(.class("num"), .safe(p.accountKind.isTaxable ? money(p.realizedShortTermGain) : Self.gainNotTaxable)),
                            .td(.class("num"), .safe(p.accountKind.isTaxable ? money(p.realizedLongTermGain) : Self.gainNotTaxable)),
                            .td(.class("num"), .safe(ReportFormat.tax(p.estimatedTax))), .td(.class("num"), .safe(money(p.cashBefore))),
                            .td(.class("num"), .safe(money(p.cashAfter))))
                    },
                    .tr(.class("total"), .th(.attribute(named: "scope", value: "row"), "Household"), .td(""),
                        .td(.class("num"), .safe(money(total { $0.accountKind.isTaxable ? $0.realizedShortTermGain : 0 }))),
                        .td(.class("num"), .safe(money(total { $0.accountKind.isTaxable ? $0.realizedLongTermGain : 0 }))),
                        .td(.class("num"), .safe(ReportFormat.tax(estimatedTax))), .td(.class("num"), .safe(money(total(\.cashBefore)))),
                        .td(.class("num"), .safe(money(total(\.cashAfter)))))
                  ))
        )
    }

    // MARK: Building blocks

    /// A chart in two drawings: `wide` for desktops and print, `narrow` (labels above the
    /// bars) for phones; the stylesheet shows one.
    private func chart(wide: String, narrow: String) -> Node<HTML.BodyContext> {
        .div(.class("chart"), .div(.class("wide"), .raw(wide)), .div(.class("narrow"), .raw(narrow)))
    }

    /// A table with a caption and `scope="col"` headers, inside a box that scrolls sideways
    /// on its own when the table is wider than the screen (a keyboard reaches it: it takes
    /// focus and is named by the caption).
    private func table(_ id: String, caption: String, headers: [(String, Bool)], body: Node<HTML.TableContext>) -> Node<HTML.BodyContext> {
        .div(.class("scroll"), .attribute(named: "role", value: "region"), .attribute(named: "tabindex", value: "0"),
             .attribute(named: "aria-labelledby", value: "caption-\(id)"),
            .table(.id(id),
                .caption(.attribute(named: "id", value: "caption-\(id)"), .safe(caption)),
                .thead(.tr(.forEach(headers) { header in
                    .th(.attribute(named: "scope", value: "col"), .if(header.1, .class("num")), .safe(header.0))
                })),
                .tbody(body)))
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

    /// The printed page's margins: the client's name and the date at the top, a reminder of
    /// the disclosures and "Page N of M" at the bottom (CSS page-margin boxes).
    static func pageCSS(title: String, date: String) -> String {
        let small = "font-family:-apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;font-size:8.5pt;color:#57606a"
        return "@page{margin:18mm 14mm 16mm;"
            + "@top-left{content:\(cssString(title));\(small)}"
            + "@top-right{content:\(cssString("Rebalance plan as of \(date)"));\(small)}"
            + "@bottom-left{content:\"Proposal for review \\2014  see the disclosures\";\(small)}"
            + "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);\(small)}}\n"
    }

    static let css = """
    *{box-sizing:border-box}html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#24292f;background:#fff;max-width:1000px;margin:24px auto;padding:0 16px;line-height:1.4}
    h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
    h1,h2,p,li,caption{overflow-wrap:anywhere}.kicker{text-transform:uppercase;letter-spacing:.06em;font-size:12px;color:#57606a;margin:0}
    header p{color:#57606a;margin:0}.hint{color:#57606a;font-size:13px;margin:0 0 6px}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px;margin-top:16px}
    .card{border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:0}.card .label{display:block;color:#57606a;font-size:12px}
    .card .value{font-size:20px;font-weight:600;overflow-wrap:anywhere}
    .scroll{overflow-x:auto;max-width:100%;margin-top:8px}.scroll:focus{outline:2px solid #0969da;outline-offset:2px}
    table{border-collapse:collapse;width:100%;font-size:13px}caption{text-align:left;color:#57606a;font-size:12px;padding:0 0 4px}
    th,td{border-bottom:1px solid #eaeef2;padding:4px 6px;text-align:left;vertical-align:top}thead th{background:#f6f8fa;white-space:nowrap}
    tbody th{font-weight:400}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.reason{min-width:16em}
    tr.group th,tr.group td{font-weight:600;background:#f6f8fa}th.member{padding-left:18px}
    tr.sell td:nth-child(2){color:#cf222e}tr.buy td:nth-child(2){color:#1a7f37}tr.total th,tr.total td{font-weight:600}
    .name{display:block;color:#57606a;font-size:11px}
    .chart svg{display:block;width:100%;height:auto;max-width:760px}.chart .narrow{display:none}
    @media (max-width:600px){body{margin:12px auto;padding:0 12px}h1{font-size:21px}.card .value{font-size:17px}.chart .wide{display:none}.chart .narrow{display:block}}
    footer{margin-top:32px;color:#57606a;font-size:12px}footer h2{font-size:14px;color:#24292f}
    @media print{
    body{max-width:none;margin:0;padding:0;font-size:10pt}.scroll{overflow:visible;max-width:none}.scroll:focus{outline:none}
    .chart .wide{display:block}.chart .narrow{display:none}.chart svg{max-width:100%}
    table{font-size:8.5pt}td,th{overflow-wrap:anywhere}td.reason{min-width:0}thead{display:table-header-group}
    tr,.card,.chart,caption{break-inside:avoid}h2{break-after:avoid}.cards{grid-template-columns:repeat(3,1fr)}
    .card{padding:6px 8px}.card .value{font-size:12pt}
    }

    """
}

extension Node {
    /// Text from the data, escaped for HTML content and attributes by ``SVGChart/escape(_:)``
    /// (Plot's `.text` leaves entity-like sequences unescaped).
    static func safe(_ text: String) -> Node { .raw(SVGChart.escape(text)) }
}
