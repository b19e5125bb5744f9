
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on an output folder, so that two batch runs never write into the same
/// folder at once: `flock(LOCK_EX | LOCK_NB)` on the folder itself (no lock file is left
/// behind). The kernel releases it when the holder closes it or dies, even by SIGKILL, so a
/// killed run never leaves the folder locked.
package final class FolderLock: @unchecked Sendable {
    /// The folder's descriptor while locked, -1 once released; guarded by `guardLock`.
    private var fd: Int32
    private var shardFD: Int32 = -1
    private let guardLock = NSLock()

    /// Creates `folder` if needed and locks it, or fails at once when another process holds it.
    ///
    /// - Throws: `AtomicFile.WriteError` naming the folder: another run holds it, or it
    ///   cannot be created or opened (the system's reason).
    /// - Complexity: O(1) system calls (plus creating missing parent folders).
    package init(_ folder: URL) throws(AtomicFile.WriteError) {
        try AtomicFile.makeFolder(folder)
        fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AtomicFile.WriteError(path: folder.path + "/", reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let reason = busy ? "another folio batch is writing to this folder; wait for it to end, or give another --output"
                : String(cString: strerror(errno))
            close(fd)
            throw AtomicFile.WriteError(path: folder.path + "/", reason: reason)
        }
    }

    /// Locks `folder` for one shard of a batch: a shared lock on the folder (so a whole-book
    /// run, which takes it exclusively, waits for no one and is refused while shards run)
    /// and an exclusive lock on `folder/.folio-batch-NAME.lock` (so the same shard cannot run
    /// twice at once). Shards of one book write into one folder side by side.
    ///
    /// - Throws: `AtomicFile.WriteError` naming the folder: a whole-book run holds it, or this
    ///   shard runs already, or the system's reason.
    package init(_ folder: URL, shard name: String) throws(AtomicFile.WriteError) {
        try AtomicFile.makeFolder(folder)
        fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AtomicFile.WriteError(path: folder.path + "/", reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_SH | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            close(fd)
            throw AtomicFile.WriteError(path: folder.path + "/", reason: busy ? "a whole-book folio batch is writing to this folder; wait for it to end, or give another --output"
                                                                        : String(cString: strerror(errno)))
        }
        let lockFile = folder.appendingPathComponent(".folio-batch-\(name).lock").path
        shardFD = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if shardFD < 0 || flock(shardFD, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            if shardFD >= 0 { close(shardFD) }
            close(fd)
            throw AtomicFile.WriteError(path: folder.path + "/", reason: busy ? "shard \(name) of a folio batch is already writing to this folder"
                                                                        : String(cString: strerror(errno)))
        }
    }

    /// Releases the lock (once; later calls do nothing).
    package func release() {
        guardLock.withLock {
            guard fd >= 0 else { return }
            if shardFD >= 0 { close(shardFD); shardFD = -1 }
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
