// libFuzzer target: the prices CSV reader (wide or long) must return a table or throw a
// FileError; every price it returns is finite and the table is rectangular.
import FolioFiles
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(FileError) {
        let table = try PricesReader.parse(text, file: "fuzz.csv")
        // prices[s][d]: one column per symbol, one entry per date.
        precondition(table.prices.count == table.symbols.count, "columns \(table.prices.count) != symbols \(table.symbols.count)")
        for row in table.prices {
            precondition(row.count == table.dates.count, "ragged price table")
            for value in row { if let value { precondition(value.isFinite, "non-finite price \(value)") } }
        }
        for (_, price) in table.latest { precondition(!price.isNaN, "NaN latest price") }
    } catch {
        precondition(!error.issues.isEmpty, "FileError without an issue")
    }
    return 0
}
