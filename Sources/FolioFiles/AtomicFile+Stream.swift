import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AtomicFile {
    /// A file written in pieces and published whole: the pieces go to a temporary file
    /// beside the destination (named as ``isTemporaryName(_:)`` expects, so a killed run's
    /// leftovers are cleaned up), and ``finish()`` flushes it and renames it into place.
    /// Until then the destination keeps its previous content. `folio batch` writes its
    /// summary and trade blotter this way, a unit at a time, in bounded memory.
    package final class Stream {
        /// The destination.
        package let url: URL
        private let temporary: String
        private var fd: Int32
        private var buffer: [UInt8] = []
        private var failed: WriteError?

        /// Opens a temporary file for `url`, creating the folder if needed.
        /// - Throws: `WriteError` naming the file and the reason.
        package init(_ url: URL) throws(WriteError) {
            self.url = url
            let folder = url.deletingLastPathComponent().path
            try AtomicFile.makeFolder(folder, for: url)
            temporary = folder + "/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AtomicFile.failure(url) }
            buffer.reserveCapacity(1 << 16)
        }

        deinit { discard() }

        /// Appends `text` (UTF-8).
        /// - Throws: `WriteError` when the bytes cannot be written (the temporary is removed).
        package func append(_ text: String) throws(WriteError) {
            buffer += text.utf8
            if buffer.count >= 1 << 16 { try flushBuffer() }
        }

        private func flushBuffer() throws(WriteError) {
            if let failed { throw failed }
            var offset = 0
            while offset < buffer.count {
                let n = buffer.withUnsafeBytes { streamWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    let error = AtomicFile.failure(url)
                    failed = error
                    discard()
                    throw error
                }
                offset += n
            }
            buffer.removeAll(keepingCapacity: true)
        }

        /// Writes what is buffered, flushes the file to disk and renames it over the destination.
        /// - Throws: `WriteError` naming the file and the reason (the temporary is removed).
        package func finish() throws(WriteError) {
            try flushBuffer()
            if fsync(fd) != 0 {
                let error = AtomicFile.failure(url)
                discard()
                throw error
            }
            let closed = close(fd)
            fd = -1
            guard closed == 0 else {
                let error = AtomicFile.failure(url)
                unlink(temporary)
                throw error
            }
            try AtomicFile.commit([(temporary, url)])
        }

        /// Abandons the file: the temporary is removed, the destination untouched.
        package func discard() {
            if fd >= 0 { close(fd); fd = -1; unlink(temporary) }
        }
    }
}

/// POSIX `write(2)` (outside `AtomicFile`, whose own `write` methods would shadow it).
private func streamWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

extension AtomicFile.WriteError {
    /// An error for `path` with `reason`, for writers outside this module.
    package static func failure(path: String, reason: String) -> Self { Self(path: path, reason: reason) }
}
