// libFuzzer target: the targets reader (YAML or JSON) must return a target or throw a
// FileError; a target it returns has finite weights.
import FolioFiles
import FolioRebalancing
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(FileError) {
        let target = try TargetsReader.parse(text, file: "fuzz.yaml")
        for w in target.securityWeights { precondition(w.weight.isFinite, "non-finite weight \(w)") }
        for s in target.sleeves { precondition(s.weight.isFinite, "non-finite weight \(s)") }
    } catch {
        precondition(!error.issues.isEmpty, "FileError without an issue")
    }
    return 0
}
