import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file in
/// the same folder, which is then renamed over the destination (an atomic step on POSIX
/// file systems). A failed or interrupted run leaves either the old file or none, never a
/// partial one.
public enum AtomicFile {
    /// An output that could not be written: the path and the system's reason.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The destination path.
        public var path: String
        /// Why the write failed, in the system's words (no space left, permission denied, ...).
        public var reason: String

        /// One readable line naming the file and the reason.
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    ///
    /// - Throws: `WriteError` naming the file and the reason (full disk, read-only folder, ...);
    ///   the temporary file is removed on failure.
    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw WriteError(path: url.path, reason: Self.reason(for: folder))
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if rename(temporary.path, url.path) != 0 {
                throw WriteError(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch let error as WriteError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: url.path, reason: Self.describe(error))
        }
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    ///
    /// - Throws: `WriteError` naming the file and the reason.
    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Data(text.utf8), to: url)
    }

    private static func reason(for folder: URL) -> String {
        if !FileManager.default.isWritableFile(atPath: folder.path) { return "the folder \(folder.path) is not writable" }
        return String(cString: strerror(errno))
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
