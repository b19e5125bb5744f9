import Foundation
import Testing

/// Documentation/CLI.md is generated from the `folio` binary's help by
/// `Scripts/cli-reference.sh`; this fails when the two disagree (an option added, renamed or
/// reworded without regenerating the reference). The fix is one command:
/// `Scripts/cli-reference.sh`.
@Suite struct CLIReferenceTests {
    @Test func cliReferenceMatchesTheBinarysHelp() throws {
        let root = Repository.root
        let folio = Repository.productsDirectory.appendingPathComponent("folio")
        try #require(FileManager.default.isExecutableFile(atPath: folio.path), "no folio binary at \(folio.path)")
        let result = try Repository.run(
            URL(fileURLWithPath: "/bin/bash"),
            [root.appendingPathComponent("Scripts/cli-reference.sh").path, "--check", "--binary", folio.path])
        #expect(result.status == 0, "Documentation/CLI.md is out of date; run Scripts/cli-reference.sh\n\(result.output)")
    }
}
