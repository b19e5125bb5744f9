import Foundation

/// Runs the built `folio` binary, as an advisor would, and captures what it prints.
struct FolioProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let data = repository.appendingPathComponent("Examples/Data")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The folder SwiftPM builds products into (where the test bundle lives).
    static var productsDirectory: URL {
        let bundle = Bundle.main.bundleURL
        return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    }

    /// Runs `folio`; `environment` entries are added to (or replace) this process's.
    static func run(_ arguments: [String], in directory: URL = repository, environment: [String: String] = [:]) throws -> Result {
        var binary = productsDirectory.appendingPathComponent("folio")
        if !FileManager.default.fileExists(atPath: binary.path) {
            binary = repository.appendingPathComponent(".build/debug/folio")
        }
        return try launch(binary, arguments, in: directory, environment: environment)
    }

    /// Runs `executable` with `arguments` to completion and collects its status and output.
    static func launch(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                       environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("folio-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The sample household's rebalance arguments.
    static func household(_ name: String, policy: Bool = true) -> [String] {
        let folder = data.appendingPathComponent("households/\(name)")
        return ["rebalance", "--holdings", folder.appendingPathComponent("holdings.csv").path,
                "--targets", folder.appendingPathComponent("targets.yaml").path,
                "--securities", data.appendingPathComponent("securities.csv").path,
                "--prices", data.appendingPathComponent("prices.csv").path]
            + (policy ? ["--policy", folder.appendingPathComponent("policy.yaml").path] : [])
    }
}
