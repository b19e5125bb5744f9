import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file in
/// the same folder, which is flushed to disk and then renamed over the destination (an atomic
/// step on POSIX file systems). A failed or interrupted run leaves either the old file or none,
/// never a partial one, and never a temporary file.
///
/// Every step is a direct POSIX call (`mkdir`, `open`, `write`, `fsync`, `close`, `rename`), so
/// a failure is reported with the system's own reason: "No space left on device" (a full
/// disk), "File too large" (a file-size limit), "Read-only file system", "Permission denied".
/// The permission bits are never guessed from: as root they do not stop a write.
///
/// The writing functions are package plumbing (Folio's own modules use them); the namespace
/// is public only for `WriteError`, which public batch runs throw.
public enum AtomicFile {
    /// An output that could not be written: the path and the system's reason.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        /// The destination path.
        public var path: String
        /// Why the write failed, in the system's words (no space left, read-only file system, ...).
        public var reason: String

        /// One readable line naming the file and the reason.
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    ///
    /// - Throws: `WriteError` naming the file and the reason (full disk, read-only folder, ...);
    ///   the temporary file is removed on failure.
    /// - Complexity: O(size of `data`), plus one `fsync`.
    package static func write(_ data: Data, to url: URL) throws(WriteError) {
        let temporary = try writeTemporary(data, for: url)
        try commit([(temporary, url)])
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    ///
    /// - Throws: `WriteError` naming the file and the reason.
    /// - Complexity: O(length of `text`), plus one `fsync`.
    package static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Data(text.utf8), to: url)
    }

    /// Writes several files as one output: every file goes to its temporary first, and only
    /// when all of them are on disk are they renamed into place. If any cannot be written
    /// (a full disk after the first of three files, say), every temporary is removed and no
    /// destination is touched: the folder keeps the previous run's files or none, never a mix.
    ///
    /// The renames themselves do not allocate file data, so they do not fail for lack of
    /// space; should one fail anyway (the folder removed meanwhile), the error names it and
    /// the files renamed before it stay in place.
    ///
    /// - Throws: `WriteError` naming the first file that could not be written and the reason.
    /// - Complexity: O(total size), plus one `fsync` per file.
    package static func write(_ files: [(data: Data, url: URL)]) throws(WriteError) {
        var written: [(temporary: String, url: URL)] = []
        for file in files {
            do {
                written.append((try writeTemporary(file.data, for: file.url), file.url))
            } catch {
                for w in written { unlink(w.temporary) }
                throw error
            }
        }
        try commit(written)
    }

    /// Writes `data` to a new temporary file beside `url` and, when `flush` is true, flushes it
    /// to disk (a group commit flushes many at once instead); returns its path.
    static func writeTemporary(_ data: Data, for url: URL, flush: Bool = true) throws(WriteError) -> String {
        let folder = url.deletingLastPathComponent().path
        try makeFolder(folder, for: url)
        let temporary = folder + "/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(url) }
        var failed: WriteError?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = failure(url)
                    return
                }
                offset += n
            }
        }
        if failed == nil && flush && fsync(fd) != 0 { failed = failure(url) }
        // close can report a deferred write error (NFS, some full disks).
        if close(fd) != 0 && failed == nil { failed = failure(url) }
        if let failed {
            unlink(temporary)
            throw failed
        }
        return temporary
    }

    /// Whether `name` is one of this writer's temporary files: `.NAME.UUID.tmp`, the UUID in
    /// its uppercase 36-character form.
    package static func isTemporaryName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.hasPrefix("."), parts.count >= 4, parts.last == "tmp" else { return false }
        let uuid = parts[parts.count - 2]
        return uuid.count == 36 && UUID(uuidString: String(uuid)) != nil && uuid == uuid.uppercased()
    }

    /// Deletes the temporary files (``isTemporaryName(_:)``) that a killed writer left in
    /// `folder` (not in its subfolders). Call it only while no writer uses the folder (a batch
    /// holds the folder's lock).
    ///
    /// - Returns: how many were deleted.
    /// - Complexity: O(entries in the folder).
    package static func removeTemporaryFiles(in folder: URL) -> Int {
        removeTemporaryFiles(in: folder) { _ in true }
    }

    /// Deletes the temporary files in `folder` whose destination's name (`NAME` of
    /// `.NAME.UUID.tmp`) satisfies `isMine`: a shard of a batch removes its own leftovers only,
    /// while other shards write beside it.
    ///
    /// - Returns: how many were deleted.
    package static func removeTemporaryFiles(in folder: URL, destinations isMine: (String) -> Bool) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            guard isTemporaryName(name) else { return false }
            let destination = String(name.dropFirst().dropLast(".00000000-0000-0000-0000-000000000000.tmp".count))
            return isMine(destination) && unlink(folder.appendingPathComponent(name).path) == 0
        }.count
    }

    /// `mkdir -p folder`, naming the folder (`PATH/`) in the error.
    ///
    /// - Throws: `WriteError` for the folder and the system's reason.
    package static func makeFolder(_ folder: URL) throws(WriteError) {
        do { try makeFolder(folder.path, for: folder) } catch {
            throw WriteError(path: folder.path + "/", reason: error.reason)
        }
    }

    /// Renames each temporary over its destination, then flushes the folders.
    static func commit(_ files: [(temporary: String, url: URL)]) throws(WriteError) {
        for (k, file) in files.enumerated() where rename(file.temporary, file.url.path) != 0 {
            let error = failure(file.url)
            for rest in files[k...] { unlink(rest.temporary) }
            throw error
        }
        // Make the renames durable; a failure here cannot undo them, so it is not an error.
        for folder in Set(files.map { $0.url.deletingLastPathComponent().path }) {
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { _ = fsync(fd); close(fd) }
        }
    }

    /// `mkdir -p folder`, reporting the system's reason against the file being written.
    static func makeFolder(_ folder: String, for url: URL) throws(WriteError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw WriteError(path: url.path, reason: "\(folder) is a file, not a folder")
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != folder { try makeFolder(parent, for: url) }
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw WriteError(path: url.path, reason: "cannot create the folder \(folder): \(String(cString: strerror(errno)))")
        }
    }

    /// The current `errno` as a `WriteError` for `url`.
    static func failure(_ url: URL) -> WriteError {
        WriteError(path: url.path, reason: String(cString: strerror(errno)))
    }
}

/// POSIX `write(2)` (outside `AtomicFile`, whose own `write` methods would shadow it).
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
