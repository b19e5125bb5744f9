import Foundation
import Testing

/// Every public declaration has a doc comment: swift-format's
/// AllPublicDeclarationsHaveDocumentation rule over Sources (DocC itself never warns about
/// an undocumented symbol). Same check by hand: `Scripts/doc-coverage.sh`.
@Suite struct DocumentationTests {
    @Test func everyPublicDeclarationIsDocumented() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "format", "lint", "--configuration", ".swift-format-docs", "-r", "Sources"]
        process.currentDirectoryURL = FolioProcess.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let missing = output.split(separator: "\n").filter { $0.contains("[AllPublicDeclarationsHaveDocumentation]") }
        #expect(missing.isEmpty, "undocumented public declarations:\n\(missing.joined(separator: "\n"))")
        #expect(!output.contains("error: no such") && !output.contains("Unknown subcommand"), "swift format did not run: \(output.prefix(300))")
    }
}
