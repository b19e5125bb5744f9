import Foundation

/// OpenBLAS's process-wide settings, made explicit.
///
/// OpenBLAS keeps one thread pool per process. Small problems (a few dozen assets) and
/// batch runs that already spread accounts over the cores are faster with one BLAS thread;
/// large covariance and eigen problems gain from all cores. The default is whatever OpenBLAS
/// chose at start-up: the `OPENBLAS_NUM_THREADS` environment variable (or `GOTO_NUM_THREADS`,
/// `OMP_NUM_THREADS`), else one thread per core.
///
/// The thread count is global mutable state, and it belongs to the program, not to a library:
///
/// - **No Folio library code changes it.** FolioRisk, FolioOptimization, FolioFiles, the
///   `Folio` umbrella (including `BatchRebalance`) only read it; a test enforces this
///   (`Tests/FolioCLITests/OutputGlobalStateTests.swift`).
/// - **An executable may set it once, at start-up**, before any concurrent work, with
///   ``setThreadCount(_:)`` or ``setThreadCountUnlessConfigured(_:)``. `folio batch` asks for
///   one thread (its workers already use every core) but leaves an explicit
///   `OPENBLAS_NUM_THREADS` in charge.
/// - Changing it while other threads are inside BLAS calls is a race inside OpenBLAS.
///
/// See `Documentation/Reliability.md`, "No global mutable state".
public enum BLASConfiguration {
    /// The number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { LAPACK.threadCount() }

    /// The environment variables OpenBLAS reads for its thread count, in its order of precedence.
    public static let threadEnvironmentVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// Whether the user chose the thread count through the environment
    /// (``threadEnvironmentVariables``), which a program should then respect.
    ///
    /// - Complexity: O(1).
    public static var isConfiguredByEnvironment: Bool {
        let environment = ProcessInfo.processInfo.environment
        return threadEnvironmentVariables.contains { environment[$0].map { !$0.isEmpty } ?? false }
    }

    /// Sets the number of threads OpenBLAS uses for each call, for the whole process.
    ///
    /// For executables only: call it once at start-up, before concurrent work begins (never
    /// from library code, never while BLAS calls run on other threads). Calls
    /// `openblas_set_num_threads`.
    /// - Precondition: `count >= 1`.
    /// - Complexity: O(1) (OpenBLAS may start or park its worker threads).
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "At least one BLAS thread")
        LAPACK.setThreadCount(count)
    }

    /// Sets the thread count to `count` unless the environment already chose one
    /// (``isConfiguredByEnvironment``); returns whether it changed the setting.
    ///
    /// For executables, once at start-up, like ``setThreadCount(_:)``.
    /// - Precondition: `count >= 1`.
    /// - Complexity: O(1).
    @discardableResult
    public static func setThreadCountUnlessConfigured(_ count: Int) -> Bool {
        guard !isConfiguredByEnvironment else { return false }
        setThreadCount(count)
        return true
    }

    /// The CPU kernel family OpenBLAS detected (for example `Haswell`, `SkylakeX`, `Zen`).
    /// Calls `openblas_get_corename`.
    public static var coreName: String { LAPACK.coreName() }
}
