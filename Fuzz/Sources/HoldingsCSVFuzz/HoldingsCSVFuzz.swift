// libFuzzer target: the holdings CSV reader must return holdings or throw a FileError, and
// never crash, hang or hand back a NaN quantity, basis or price.
import FolioFiles
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for isolating in [false, true] {
        do throws(FileError) {
            let holdings = try HoldingsReader.parseCSV(text, file: "fuzz.csv", isolatingAccountErrors: isolating)
            for account in holdings.accounts {
                precondition(!account.cash.isNaN, "NaN cash")
                for position in account.positions {
                    for lot in position.lots {
                        precondition(!lot.quantity.isNaN && !lot.costBasis.isNaN, "NaN lot \(lot)")
                    }
                }
            }
            for (_, price) in holdings.prices { precondition(!price.isNaN, "NaN price") }
            for (_, error) in holdings.rejectedAccounts { precondition(!error.issues.isEmpty, "rejection without an issue") }
        } catch {
            precondition(!error.issues.isEmpty, "FileError without an issue")
        }
    }
    return 0
}
