import Foundation
import Testing

/// `Examples/UsingFolio` is a package of its own that depends on Folio by path, as a user's
/// package would. This builds it with `swift build` in a scratch folder of its own
/// (`.build-examples`, git-ignored: the root's `.build` is locked by the running `swift test`)
/// and runs it on the bundled data. The first build compiles Folio again (about 3 minutes of
/// debug build on 2 cores); later runs are incremental.
@Suite struct DependentPackageTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a program, returning its exit status and its standard output and error together.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func usingFolioBuildsAndRuns() throws {
        let package = Self.root.appendingPathComponent("Examples/UsingFolio")
        let scratch = Self.root.appendingPathComponent(".build-examples")
        let build = try Self.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "swift", "build", "--package-path", package.path, "--scratch-path", scratch.path, "--product", "UsingFolio",
        ])
        try #require(build.status == 0, "swift build of Examples/UsingFolio failed:\n\(build.output)")

        let result = try Self.run(scratch.appendingPathComponent("debug/UsingFolio"), ["couple"])
        #expect(result.status == 0, "UsingFolio failed:\n\(result.output)")
        for line in [
            "Household couple: 3 accounts", "Z70-114466 (taxable)", "SELL", "BUY ", "tax-loss harvest into FIDEV",
            "Household volatility (Ledoit-Wolf", "all invariants hold: true",
        ] {
            #expect(result.output.contains(line), "UsingFolio output lacks \"\(line)\"")
        }
    }
}
