/// OpenBLAS's process-wide settings, made explicit.
///
/// OpenBLAS keeps one thread pool per process. Small problems (a few dozen assets) and
/// batch runs that already spread accounts over the cores are faster with one BLAS thread;
/// large covariance and eigen problems gain from all cores. Folio never changes the setting
/// behind your back: the default is whatever OpenBLAS chose at start-up (the
/// `OPENBLAS_NUM_THREADS` environment variable, else one thread per core).
///
/// The setting belongs to OpenBLAS, not to Folio: Folio itself holds no mutable global state.
public enum BLASConfiguration {
    /// The number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { LAPACK.threadCount() }

    /// Sets the number of threads OpenBLAS uses for each call, for the whole process.
    ///
    /// Call it once at start-up, before concurrent work begins. Calls
    /// `openblas_set_num_threads`.
    /// - Precondition: `count >= 1`.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "At least one BLAS thread")
        LAPACK.setThreadCount(count)
    }

    /// The CPU kernel family OpenBLAS detected (for example `Haswell`, `SkylakeX`, `Zen`).
    /// Calls `openblas_get_corename`.
    public static var coreName: String { LAPACK.coreName() }
}
