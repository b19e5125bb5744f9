import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes many files, each complete or absent, with one flush to disk per group of files
/// instead of one per file (a group commit).
///
/// Each ``write(_:to:)`` puts the bytes in a hidden temporary file beside the destination and
/// queues it. A commit — when `groupSize` files are queued, when the oldest has waited
/// `maximumDelay`, or on ``commit()`` — flushes the file system once (`syncfs`; every queued
/// file's data and inode reach the disk), renames each temporary file over its destination,
/// and flushes each destination folder once (the renames reach the disk). A destination
/// therefore appears only complete and already on disk; a process killed before the commit
/// leaves the destination absent (and a hidden `.NAME.UUID.tmp` file, as ``AtomicFile`` does).
///
/// One `fsync` per file costs a journal commit each, and on a busy disk that, not the CPU,
/// bounds a batch of thousands of small files; a group pays it once per group.
///
/// Thread-safe: workers may write concurrently; a commit runs outside the lock on the group it
/// took, so other workers keep writing.
package final class GroupCommitWriter: @unchecked Sendable {
    /// Files per group (at least 1).
    package let groupSize: Int
    /// The longest a written file waits for its commit, measured when the next file is written.
    package let maximumDelay: Duration

    private struct Pending {
        var temporary: String
        var destination: URL
    }

    private let lock = NSLock()
    private var pending: [Pending] = []
    private var oldest: ContinuousClock.Instant?

    /// A writer committing every `groupSize` files or `maximumDelay`, whichever comes first.
    package init(groupSize: Int = 64, maximumDelay: Duration = .milliseconds(250)) {
        precondition(groupSize >= 1, "A group holds at least one file")
        self.groupSize = groupSize
        self.maximumDelay = maximumDelay
    }

    /// Writes `data` to a temporary file beside `url` and queues it; commits the group when it
    /// is full or old enough.
    ///
    /// - Throws: `AtomicFile.WriteError` naming the file and the reason; on a failed commit,
    ///   the first destination that could not be written.
    /// - Complexity: O(bytes) for the write; a commit adds one `syncfs`, one rename per file and
    ///   one `fsync` per folder.
    package func write(_ data: Data, to url: URL) throws(AtomicFile.WriteError) {
        let temporary = try AtomicFile.writeTemporary(data, for: url, flush: false)
        let now = ContinuousClock.now
        let group: [Pending] = lock.withLock {
            pending.append(Pending(temporary: temporary, destination: url))
            if oldest == nil { oldest = now }
            guard pending.count >= groupSize || now - oldest! >= maximumDelay else { return [] }
            defer { pending = []; oldest = nil }
            return pending
        }
        if !group.isEmpty { try Self.commit(group) }
    }

    /// Commits every queued file: after it returns, each written file is at its destination
    /// and on disk.
    ///
    /// - Throws: `AtomicFile.WriteError` for the first destination that could not be written;
    ///   the files after it in the group are not committed (a re-run of a batch writes them).
    package func commit() throws(AtomicFile.WriteError) {
        let group: [Pending] = lock.withLock {
            defer { pending = []; oldest = nil }
            return pending
        }
        if !group.isEmpty { try Self.commit(group) }
    }

    private static func commit(_ group: [Pending]) throws(AtomicFile.WriteError) {
        let folderPaths = Array(Set(group.map { $0.destination.deletingLastPathComponent().path })).sorted()
        // 1. Every temporary file's data and inode on disk, with one flush of the file system.
        if let first = folderPaths.first {
            let fd = open(first, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 || flushFileSystem(fd, group: group) != 0 {
                let reason = String(cString: strerror(errno))
                if fd >= 0 { close(fd) }
                for p in group { unlink(p.temporary) }
                throw AtomicFile.WriteError(path: group[0].destination.path, reason: reason)
            }
            close(fd)
        }
        // 2. Each file appears whole at its destination, then the renames reach the disk.
        try AtomicFile.commit(group.map { ($0.temporary, $0.destination) })
    }

    /// Flushes the file system holding `fd` (Linux `syncfs`); elsewhere, each file of the group.
    private static func flushFileSystem(_ fd: Int32, group: [Pending]) -> Int32 {
        #if os(Linux)
        return folioSyncFileSystem(fd)
        #else
        for p in group {
            let file = open(p.temporary, O_RDONLY)
            guard file >= 0 else { return -1 }
            defer { close(file) }
            if fsync(file) != 0 { return -1 }
        }
        return 0
        #endif
    }
}

#if os(Linux)
/// `syncfs(2)`: Glibc declares it only under `_GNU_SOURCE`, which the Swift Glibc module does
/// not define, so it is bound by its C symbol name. Returns 0 or −1 with `errno` set.
@_silgen_name("syncfs")
private func folioSyncFileSystem(_ fd: Int32) -> Int32
#endif
