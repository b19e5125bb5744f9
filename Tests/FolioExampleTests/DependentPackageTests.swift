import Foundation
import Testing

/// `Examples/UsingFolio` is a package of its own that depends on Folio by path, as a user's
/// package would. This builds it with `swift build` in a scratch folder of its own
/// (`.build-examples`, git-ignored: the root's `.build` is locked by the running `swift test`)
/// and runs it on the bundled data. The first build compiles Folio again (2 to 3 minutes of
/// debug build on 2 cores); later runs are incremental.
@Suite struct DependentPackageTests {
    @Test func usingFolioBuildsAndRuns() throws {
        let package = Repository.root.appendingPathComponent("Examples/UsingFolio")
        let scratch = Repository.root.appendingPathComponent(".build-examples")
        let build = try Repository.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "swift", "build", "--package-path", package.path, "--scratch-path", scratch.path, "--product", "UsingFolio",
        ])
        try #require(build.status == 0, "swift build of Examples/UsingFolio failed:\n\(build.output)")

        let result = try Repository.run(scratch.appendingPathComponent("debug/UsingFolio"), ["couple"])
        #expect(result.status == 0, "UsingFolio failed:\n\(result.output)")
        for line in [
            "Household couple: 3 accounts", "Z70-114466 (taxable)", "SELL", "BUY ", "tax-loss harvest into FIDEV",
            "Household volatility (Ledoit-Wolf", "all invariants hold: true",
        ] {
            #expect(result.output.contains(line), "UsingFolio output lacks \"\(line)\"")
        }
    }
}
