// libFuzzer target: the policy reader (YAML or JSON) must return a policy or throw a FileError.
import FolioFiles
import FolioRebalancing
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(FileError) {
        let file = try PolicyReader.parse(text, file: "fuzz.yaml")
        precondition(!file.policy.pendingCashFlow.isNaN && !file.policy.minimumTradeValue.isNaN, "NaN policy amount")
        for flow in file.pendingFlows { precondition(!flow.amount.isNaN, "NaN flow") }
        _ = file.context(for: ["A", "B"])
        _ = file.standingPolicy
    } catch {
        precondition(!error.issues.isEmpty, "FileError without an issue")
    }
    return 0
}
