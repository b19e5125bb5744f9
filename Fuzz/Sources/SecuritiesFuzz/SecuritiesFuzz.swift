// libFuzzer target: the securities CSV reader must return entries or throw a FileError.
import FolioFiles
import FolioRebalancing
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(FileError) {
        let entries = try SecuritiesReader.parse(text, file: "fuzz.csv")
        for e in entries { precondition(!e.security.lotSize.isNaN, "NaN lot size") }
    } catch {
        precondition(!error.issues.isEmpty, "FileError without an issue")
    }
    return 0
}
