import Foundation
import Testing

/// Issue 20, "The HTML report", checked in headless Chromium: the README's first command's
/// report at 1400 px and at 390 px (a phone), laid out for print, and printed to PDF.
///
/// The report's Content-Security-Policy forbids scripts, so each check loads a copy with the
/// policy relaxed and a measuring script added; Chromium (`--dump-dom` runs scripts) writes
/// the DOM back, and the script's findings are read from a `<pre id="folio-measure">`.
///
/// Set `FOLIO_SCREENSHOTS_DIR` to keep the screenshots and the PDF (Scripts/screenshots.sh
/// writes them into Documentation/Screenshots this way).
@Suite(.enabled(if: TrustOutputsTests.chromium != nil,
                "headless Chromium not installed (/usr/bin/chromium; apt-get install -y chromium): the browser checks of the HTML report are skipped"))
struct ReportBrowserTests {
    /// What the measuring script reports.
    struct Measure: Decodable {
        /// A table: its header cells, those a reader can reach, and its markup.
        struct Table: Decodable { var id: String; var columns, reachable, scoped: Int; var caption: Bool }
        /// A box that scrolls sideways: its style, content and box widths, and where it is.
        struct Scroller: Decodable { var overflowX: String; var scrollWidth, clientWidth, left, right: Double }
        var viewport, scrollWidth, height: Double
        var overflowing, clippedText, markersOutside: [String]
        var tables: [Table]
        var scrollers: [Scroller]
        var svgs, markers: Int
    }

    /// The measuring script: every visible element inside the viewport (or inside a box that
    /// scrolls sideways), every table column reachable, every SVG text inside its drawing, every
    /// band and marker of the drift chart on screen.
    static let script = #"""
    (function () {
      const vw = document.documentElement.clientWidth;
      const out = { viewport: vw, scrollWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
                    overflowing: [], tables: [], scrollers: [], svgs: 0, clippedText: [], markersOutside: [], markers: 0 };
      const scroller = el => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return p; } return null; };
      const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 || r.height > 0; };
      const inside = r => r.left >= -0.5 && r.right <= vw + 0.5;
      const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || '').trim().slice(0, 50) + '"';
      for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
        if (!shown(el)) continue;
        const r = el.getBoundingClientRect();
        if (!inside(r) && !scroller(el)) out.overflowing.push(name(el) + ' [' + r.left.toFixed(1) + ', ' + r.right.toFixed(1) + ']');
      }
      for (const s of document.querySelectorAll('.scroll')) {
        const r = s.getBoundingClientRect();
        out.scrollers.push({ overflowX: getComputedStyle(s).overflowX, scrollWidth: s.scrollWidth, clientWidth: s.clientWidth, left: r.left, right: r.right });
      }
      for (const t of document.querySelectorAll('table')) {
        const heads = [...t.querySelectorAll('thead th')];
        const entry = { id: t.id, columns: heads.length, reachable: 0, caption: !!t.querySelector('caption'),
                        scoped: heads.filter(h => h.getAttribute('scope') === 'col').length };
        for (const h of heads) {
          const r = h.getBoundingClientRect();
          if (r.width <= 0 || r.height <= 0) continue;
          if (inside(r)) { entry.reachable++; continue; }
          const s = scroller(h);
          if (!s || !inside(s.getBoundingClientRect())) continue;
          // Scrolled fully to the right, the box shows its content's last clientWidth pixels.
          const sr = s.getBoundingClientRect();
          const right = r.right - sr.left + s.scrollLeft;
          if (right <= s.scrollWidth + 0.5 && s.scrollWidth - s.clientWidth > 0) entry.reachable++;
        }
        out.tables.push(entry);
      }
      for (const svg of document.querySelectorAll('svg')) {
        if (!shown(svg)) continue;
        out.svgs++;
        const r = svg.getBoundingClientRect();
        if (!inside(r)) out.overflowing.push('svg ' + svg.getAttribute('aria-label'));
        for (const t of svg.querySelectorAll('text')) {
          const b = t.getBoundingClientRect();
          if (b.left < r.left - 0.5 || b.top < r.top - 0.5 || b.right > r.right + 0.5 || b.bottom > r.bottom + 0.5)
            out.clippedText.push(t.textContent.slice(0, 50) + ' [' + [b.left - r.left, b.top - r.top, b.right - r.right, b.bottom - r.bottom].map(v => v.toFixed(1)).join(', ') + ']');
        }
        for (const m of svg.querySelectorAll('.band, .before, .after')) {
          out.markers++;
          const b = m.getBoundingClientRect();
          if (!(b.width > 0) || b.left < r.left - 0.5 || b.right > r.right + 0.5 || !inside(b)) out.markersOutside.push(m.getAttribute('class'));
        }
      }
      const pre = document.createElement('pre');
      pre.id = 'folio-measure';
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    })();
    """#

    /// Runs Chromium headless with its own profile folder and `arguments`.
    static func chromium(_ arguments: [String]) throws -> FolioProcess.Result {
        let profile = FolioProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: profile) }
        return try FolioProcess.launch(URL(fileURLWithPath: TrustOutputsTests.chromium!),
                                       ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                                        "--disable-extensions", "--log-level=3", "--user-data-dir=\(profile.path)"] + arguments)
    }

    /// The README's first command's report (the couple's household), written to a fresh folder.
    static func readmeReport(_ extra: [String] = []) throws -> URL {
        let output = FolioProcess.temporaryDirectory().appendingPathComponent("plan")
        let result = try FolioProcess.run(FolioProcess.household("couple") + ["--output", output.path] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return output.appendingPathComponent("report.html")
    }

    /// Measures `report` laid out `width` px wide; `print` lays it out with the print
    /// stylesheet (its `@media print` rules applied on screen).
    ///
    /// The copy is shown in an `<iframe srcdoc>` exactly `width` px wide (media queries see the
    /// frame's width): headless Chromium's `--dump-dom` lays pages out at least 500 px wide
    /// whatever `--window-size` says. The page around it copies the script's result out.
    static func measure(_ report: URL, width: Int, print: Bool = false) throws -> Measure {
        var html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("script-src 'none'"))
        html = html.replacingOccurrences(of: "script-src 'none'", with: "script-src 'unsafe-inline'")
        if print { html = html.replacingOccurrences(of: "@media print{", with: "@media all{") }
        html = html.replacingOccurrences(of: "</body>", with: "<script>\(script)</script></body>")
        let frame = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        let page = """
            <!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="border:0;display:block;width:\(width)px;height:900px" srcdoc="\(frame)"></iframe>
            <script>document.getElementById('f').addEventListener('load', function () {
              const found = this.contentDocument.getElementById('folio-measure');
              const out = document.createElement('pre'); out.id = 'folio-measure'; out.textContent = found ? found.textContent : 'null';
              document.body.appendChild(out);
            });</script></body></html>
            """
        let copy = report.deletingLastPathComponent().appendingPathComponent("measure-\(width)\(print ? "-print" : "").html")
        try page.write(to: copy, atomically: true, encoding: .utf8)
        let result = try chromium(["--window-size=\(max(width, 500) + 40),1000", "--virtual-time-budget=3000", "--dump-dom", copy.absoluteString])
        guard let start = result.stdout.range(of: "<pre id=\"folio-measure\">"),
              let end = result.stdout.range(of: "</pre>", range: start.upperBound..<result.stdout.endIndex) else {
            Issue.record("no measurement in Chromium's DOM: \(result.stderr.suffix(800))")
            throw CancellationError()
        }
        let json = String(result.stdout[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Measure.self, from: Data(json.utf8))
    }

    /// The checks every layout must pass.
    static func expectFits(_ m: Measure, width: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(m.viewport == Double(width), "Chromium's viewport is \(m.viewport), not \(width)", sourceLocation: sourceLocation)
        #expect(m.scrollWidth <= m.viewport, "the page scrolls sideways (\(m.scrollWidth) > \(m.viewport))", sourceLocation: sourceLocation)
        #expect(m.overflowing.isEmpty, "outside the viewport: \(m.overflowing.prefix(8))", sourceLocation: sourceLocation)
        #expect(m.tables.count == 4, sourceLocation: sourceLocation)
        for table in m.tables {
            #expect(table.columns > 0 && table.reachable == table.columns, "\(table.id): \(table.reachable) of \(table.columns) columns reachable", sourceLocation: sourceLocation)
            #expect(table.caption && table.scoped == table.columns, sourceLocation: sourceLocation)
        }
        #expect(m.svgs == 2, "one drawing of each chart shown", sourceLocation: sourceLocation)
        #expect(m.clippedText.isEmpty, "chart text outside its drawing: \(m.clippedText.prefix(8))", sourceLocation: sourceLocation)
        #expect(m.markers > 30 && m.markersOutside.isEmpty, "drift bands and dots off-screen: \(m.markersOutside.prefix(8))", sourceLocation: sourceLocation)
    }

    @Test(arguments: [1400, 390])
    func theReadmeReportFitsTheScreen(width: Int) throws {
        let m = try Self.measure(try Self.readmeReport(), width: width)
        Self.expectFits(m, width: width)
        if width == 390 {
            // The trades table is wider than a phone: it scrolls in its own box, the page does not.
            #expect(m.scrollers.contains { $0.overflowX == "auto" && $0.scrollWidth > $0.clientWidth })
        } else {
            #expect(m.scrollers.allSatisfy { $0.scrollWidth <= $0.clientWidth }, "nothing needs scrolling at 1400 px")
        }
    }

    @Test func hostileIdsAndNamesStillFitAPhone() throws {
        // 300-character account ids without a space, a long name, and every id shown in full.
        let s = try TrustOutputsTests.Scratch()
        let long = String(repeating: "Z", count: 296) + "4466"
        let holdings = try s.file("h.csv", """
            Account,Account Type,Symbol,Description,Quantity,Price,Asset Class
            \(long),IRA,AAA,\(String(repeating: "Verylongsecurityname", count: 12)),10,$10,<b>x</b>
            \(long),IRA,CASH,,1000,,

            """)
        let targets = try s.file("t.yaml", "name: \"\(String(repeating: "Ωmega-", count: 60))\"\ntargets:\n  AAA: 0.5\n  PENNY: 0.5\n")
        let output = s.root.appendingPathComponent("out")
        for flags in [[String](), ["--show-account-numbers"]] {
            let result = try s.rebalance(holdings, targets: targets, ["--output", output.path] + flags)
            #expect(result.status == 0, "\(result.stderr)")
            let m = try Self.measure(output.appendingPathComponent("report.html"), width: 390)
            #expect(m.scrollWidth <= m.viewport && m.overflowing.isEmpty, "\(flags): \(m.overflowing.prefix(5))")
            #expect(m.clippedText.isEmpty && m.markersOutside.isEmpty, "\(m.clippedText.prefix(5))")
            for table in m.tables { #expect(table.reachable == table.columns, "\(table.id)") }
        }
    }

    @Test func thePrintLayoutHasNoScrollBarsAndNoClippedCharts() throws {
        // About the printable width of Letter or A4 with the report's 14 mm side margins.
        let m = try Self.measure(try Self.readmeReport(), width: 680, print: true)
        Self.expectFits(m, width: 680)
        #expect(m.scrollers.allSatisfy { $0.overflowX == "visible" }, "no scroll box in print")
        #expect(m.scrollers.allSatisfy { $0.scrollWidth <= $0.clientWidth + 1 }, "a table wider than the page: \(m.scrollers)")
    }

    /// Width and height of a PNG, from its IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        let int = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    @Test func screenshotsAndAPrintedPDF() throws {
        let report = try Self.readmeReport()
        let folder = ProcessInfo.processInfo.environment["FOLIO_SCREENSHOTS_DIR"].map { URL(fileURLWithPath: $0, relativeTo: FolioProcess.repository) }
            ?? report.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (width, name) in [(1400, "report.png"), (390, "report-phone.png")] {
            let height = Int(try Self.measure(report, width: width).height.rounded(.up))
            let png = folder.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: png)
            _ = try Self.chromium(["--window-size=\(width),\(height)", "--screenshot=\(png.path)", report.absoluteString])
            let size = try #require(Self.pngSize(try Data(contentsOf: png)), "no PNG written at \(png.path)")
            #expect(size.width == width && size.height == height)
        }
        let pdf = folder.appendingPathComponent("report.pdf")
        try? FileManager.default.removeItem(at: pdf)
        _ = try Self.chromium(["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", report.absoluteString])
        let data = try Data(contentsOf: pdf)
        #expect(data.starts(with: Data("%PDF-".utf8)))
        // Skia writes the page tree uncompressed: "<</Type /Pages\n/Count N\n/Kids [...]>>".
        let text = String(decoding: data, as: UTF8.self)
        let pages = try #require(text.firstMatch(of: /\/Type \/Pages\s*\/Count (\d+)/).flatMap { Int($0.output.1) }, "no page tree in the PDF")
        #expect((2...6).contains(pages), "\(pages) pages (the old report printed 4 with scroll bars)")
    }
}
