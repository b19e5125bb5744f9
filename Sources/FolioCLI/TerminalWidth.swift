import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The width, in columns, that tables printed on standard output may use.
enum TerminalWidth {
    /// The width when standard output is not a terminal and `COLUMNS` is not set (a file or
    /// a pipe): the documented 100 columns.
    static let notATerminal = 100
    /// The narrowest width honoured; below it the tables' columns could not hold a number.
    static let minimum = 40

    /// `COLUMNS` when it is a positive number (the user's override, as environ(7) says), else
    /// the terminal's width from `TIOCGWINSZ` when standard output is a terminal, else
    /// ``notATerminal``; never below ``minimum``.
    ///
    /// - Complexity: O(1): one environment lookup and at most one `ioctl`.
    static var current: Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"],
           let columns = Int(text.trimmingCharacters(in: .whitespaces)), columns > 0 {
            return max(columns, minimum)
        }
        if isatty(STDOUT_FILENO) != 0 {
            var size = winsize()
            #if canImport(Glibc)
            let status = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size)
            #else
            let status = ioctl(STDOUT_FILENO, TIOCGWINSZ, &size)
            #endif
            if status == 0, size.ws_col > 0 { return max(Int(size.ws_col), minimum) }
        }
        return notATerminal
    }
}
