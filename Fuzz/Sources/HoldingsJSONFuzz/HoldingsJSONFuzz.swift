// libFuzzer target: the holdings JSON reader must return holdings or throw a FileError.
import FolioFiles
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(FileError) {
        let holdings = try HoldingsReader.parseJSON(text, file: "fuzz.json")
        for account in holdings.accounts {
            precondition(!account.cash.isNaN, "NaN cash")
            for position in account.positions {
                for lot in position.lots { precondition(!lot.quantity.isNaN && !lot.costBasis.isNaN, "NaN lot \(lot)") }
            }
        }
        for (_, price) in holdings.prices { precondition(!price.isNaN, "NaN price") }
    } catch {
        precondition(!error.issues.isEmpty, "FileError without an issue")
    }
    return 0
}
