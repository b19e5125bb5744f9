import Foundation
import Testing

/// Issue 10: "no global mutable state (BLAS thread settings included)", audited on the
/// sources (it sits with the output reliability tests of the same issue).
///
/// - No library source calls `BLASConfiguration.setThreadCount` (or OpenBLAS directly to set
///   threads): only an executable may, once at start-up.
/// - No library source declares a stored `static var`, a top-level `var`, or opts out of
///   checking with `nonisolated(unsafe)`.
/// - Every public type of a library is `Sendable`, except caseless enums used as namespaces
///   (listed here: they have no values to share).
@Suite struct OutputGlobalStateTests {
    /// Library sources: every module but the executable, relative path → text.
    static let librarySources: [(path: String, text: String)] = {
        let root = FolioProcess.repository.appendingPathComponent("Sources")
        var out: [(String, String)] = []
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("FolioCLI/") else { continue }
            if let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) { out.append((path, text)) }
        }
        return out.sorted { $0.0 < $1.0 }
    }()

    /// Code lines (comments dropped) with their numbers.
    static func codeLines(_ text: String) -> [(number: Int, line: String)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { k, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            return line.hasPrefix("//") ? nil : (k + 1, line)
        }
    }

    @Test func sourcesAreFound() {
        #expect(Self.librarySources.count > 50)
        #expect(Self.librarySources.contains { $0.path == "FolioLinearAlgebra/BLASConfiguration.swift" })
    }

    @Test func noLibraryCodeSetsTheBLASThreadCount() {
        for (path, text) in Self.librarySources where path != "FolioLinearAlgebra/BLASConfiguration.swift" && path != "FolioLinearAlgebra/LAPACK.swift" {
            for (number, line) in Self.codeLines(text)
            where line.contains("setThreadCount") || line.contains("openblas_set_num_threads") || line.contains("setenv(") {
                Issue.record("\(path):\(number) changes process-wide state: \(line)")
            }
        }
    }

    @Test func noGlobalMutableState() {
        let storedStatic = try! Regex(#"^(public |internal |private |fileprivate |package )*(nonisolated )?static var \w+\s*(:[^{]*)?=.*"#)
        let storedStaticNoValue = try! Regex(#"^(public |internal |private |fileprivate |package )*static var \w+\s*:[^{=]*"#)
        let topLevelVar = try! Regex(#"^(public |internal |private |fileprivate |package )?var "#)
        for (path, text) in Self.librarySources {
            var depth = 0
            for (number, line) in Self.codeLines(text) {
                if line.contains("nonisolated(unsafe)") { Issue.record("\(path):\(number) opts out of isolation: \(line)") }
                if line.wholeMatch(of: storedStatic) != nil || line.wholeMatch(of: storedStaticNoValue) != nil {
                    Issue.record("\(path):\(number) stored static var: \(line)")
                }
                if depth == 0 && line.prefixMatch(of: topLevelVar) != nil { Issue.record("\(path):\(number) global var: \(line)") }
                depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            }
        }
    }

    /// Caseless enums: namespaces of static functions, with no values to share.
    static let namespaces: Set<String> = [
        "ReportFormat", "CSVWriter", "SVGChart", "SecuritiesReader", "ClientReader", "HoldingsReader", "PolicyReader",
        "AtomicFile", "TargetsReader", "ConstraintsReader", "PricesReader", "AssetLocation", "ExpectedReturns",
        "CovarianceConversion", "CovarianceDiagnostics", "NearestPositiveDefinite", "PortfolioRisk", "NormalDistribution",
        "MarcenkoPastur", "BLASConfiguration", "PlanningReader", "TerminalText", "MoneyText", "ClientBookReader", "Silhouette",
    ]

    /// Protocols that refine `Sendable`; a conformance to one makes a type Sendable.
    static let sendableProtocols = ["Sendable", "CovarianceEstimator", "Error"]

    @Test func everyPublicTypeIsSendable() {
        let declaration = try! Regex(#"^(public|open) (final )?(struct|class|enum|actor|protocol) (\w+)"#)
        var seen: Set<String> = []
        for (path, text) in Self.librarySources {
            let lines = Self.codeLines(text)
            for (k, entry) in lines.enumerated() {
                guard let match = entry.line.prefixMatch(of: declaration) else { continue }
                let name = match.output[4].substring.map(String.init) ?? ""
                let kind = match.output[3].substring.map(String.init) ?? ""
                seen.insert(name)
                if kind == "actor" { continue }
                // The conformance list may continue on the next lines, up to the opening brace.
                var header = entry.line
                var j = k
                while !header.contains("{") && j + 1 < lines.count { j += 1; header += " " + lines[j].line }
                header = String(header.prefix { $0 != "{" })
                let extensions = text.contains("extension \(name): Sendable") || text.contains("extension \(name): @unchecked Sendable")
                if Self.sendableProtocols.contains(where: { header.contains($0) }) || extensions { continue }
                if Self.namespaces.contains(name) { continue }
                Issue.record("\(path):\(entry.number) public \(kind) \(name) is not Sendable")
            }
        }
        #expect(Self.namespaces.isSubset(of: seen), "stale namespace entries: \(Self.namespaces.subtracting(seen).sorted())")
    }
}
