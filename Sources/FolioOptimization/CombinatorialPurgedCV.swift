/// One train/test combination of combinatorial purged cross-validation: the train
/// observations (purged and embargoed around every test fold) and the folds it tests.
public struct CombinatorialSplit: Sendable, Equatable {
    /// The train observations, as disjoint increasing ranges.
    public var train: [Range<Int>]
    /// The test folds, increasing (zero-based fold numbers).
    public var testFolds: [Int]
}

/// Combinatorial purged cross-validation (López de Prado, *Advances in Financial Machine
/// Learning*, Wiley 2018, ch. 12), exactly as skfolio's `CombinatorialPurgedCV(n_folds,
/// n_test_folds, purged_size, embargo_size)` splits.
///
/// The T observations are cut into `folds` consecutive folds of ⌊T / folds⌋ observations (the
/// last fold takes the remainder). Every choice of `testFolds` folds is one split, in
/// lexicographic order: C(folds, testFolds) splits. A split trains on the other folds minus
/// `purgeSize` observations before each test block and `purgeSize + embargoSize` after it, so
/// that no train observation overlaps the information of a test observation. Each fold is
/// tested by C(folds − 1, testFolds − 1) splits; taking the p-th of them for every fold
/// recombines the test folds into `pathCount` full out-of-sample paths.
///
/// - Complexity: O(splits · T) to split.
public struct CombinatorialPurgedCV: Sendable, Equatable {
    /// The number of folds (at least 3).
    public var folds: Int
    /// The number of test folds in each split (at least 2, below `folds`).
    public var testFolds: Int
    /// Observations removed from the train set just before each test block.
    public var purgeSize: Int
    /// Observations removed after each test block beyond the purge.
    public var embargoSize: Int

    /// A combinatorial purged cross-validation scheme.
    ///
    /// - Complexity: O(1).
    public init(folds: Int, testFolds: Int, purge: Int = 0, embargo: Int = 0) {
        self.folds = folds
        self.testFolds = testFolds
        purgeSize = purge
        embargoSize = embargo
    }

    /// The number of splits, C(folds, testFolds).
    ///
    /// - Complexity: O(testFolds).
    public var splitCount: Int { binomial(folds, testFolds) }

    /// The number of recombined paths, C(folds − 1, testFolds − 1).
    ///
    /// - Complexity: O(testFolds).
    public var pathCount: Int { binomial(folds - 1, testFolds - 1) }

    /// The observation ranges of the folds over `observations` observations.
    ///
    /// - Complexity: O(folds).
    public func foldRanges(observations: Int) -> [Range<Int>] {
        let size = observations / folds
        return (0..<folds).map { f in f * size..<(f == folds - 1 ? observations : (f + 1) * size) }
    }

    /// For each fold and path, the split whose weights are held over that fold on that path:
    /// `recombinedPaths()[fold][path]` (skfolio's `recombined_paths`).
    ///
    /// - Complexity: O(splits · testFolds).
    public func recombinedPaths() -> [[Int]] {
        var paths = [[Int]](repeating: [], count: folds)
        for (s, combination) in combinations().enumerated() {
            for f in combination { paths[f].append(s) }
        }
        return paths
    }

    /// The splits over `observations` observations, in skfolio's order.
    ///
    /// - Throws: `OutOfSampleError.invalidParameter` for fewer than 3 folds, fewer than 2 test
    ///   folds, as many test folds as folds, a negative purge or embargo, or more than 100,000
    ///   splits, or when the purge and embargo do not leave at least two observations of each
    ///   fold (skfolio's rule `purge + embargo < ⌊T / folds⌋ − 1`).
    /// - Complexity: O(splits · T).
    public func splits(observations: Int) throws(OutOfSampleError) -> [CombinatorialSplit] {
        try validate()
        let size = observations / folds
        guard size >= 2 else {
            throw .invalidParameter(name: "number of folds", value: Double(folds),
                                    expected: "at most \(observations / 2) for \(observations) observations (two per fold at least)")
        }
        guard purgeSize + embargoSize < size - 1 else {
            throw .invalidParameter(name: "purge + embargo", value: Double(purgeSize + embargoSize),
                                    expected: "fewer than \(size - 1) (a fold of \(size) observations less one)")
        }
        let foldOf = (0..<observations).map { Swift.min($0 / size, folds - 1) }
        return combinations().map { combination in
            var isTest = [Bool](repeating: false, count: folds)
            for f in combination { isTest[f] = true }
            var excluded = foldOf.map { isTest[$0] }
            for i in 0..<(observations - 1) {
                let here = isTest[foldOf[i]], next = isTest[foldOf[i + 1]]
                if !here && next {
                    for k in 0..<purgeSize { excluded[Swift.max(0, i - k)] = true }
                } else if here && !next {
                    for k in 0..<(purgeSize + embargoSize) { excluded[Swift.min(observations - 1, i + k + 1)] = true }
                }
            }
            return CombinatorialSplit(train: ranges(where: excluded.map { !$0 }), testFolds: combination)
        }
    }

    func validate() throws(OutOfSampleError) {
        guard folds >= 3 else { throw .invalidParameter(name: "number of folds", value: Double(folds), expected: "at least 3") }
        guard testFolds >= 2, testFolds < folds else {
            throw .invalidParameter(name: "number of test folds", value: Double(testFolds),
                                    expected: "at least 2 and fewer than the \(folds) folds")
        }
        try checkSize("purge", purgeSize, minimum: 0)
        try checkSize("embargo", embargoSize, minimum: 0)
        guard splitCount <= 100_000 else {
            throw .invalidParameter(name: "number of splits C(\(folds), \(testFolds))", value: Double(splitCount),
                                    expected: "at most 100,000 (fewer folds, or test folds further from half)")
        }
    }

    /// Every choice of `testFolds` of the `folds` folds, in lexicographic order.
    func combinations() -> [[Int]] {
        var result: [[Int]] = []
        var current = Array(0..<testFolds)
        while true {
            result.append(current)
            var i = testFolds - 1
            while i >= 0 && current[i] == folds - testFolds + i { i -= 1 }
            if i < 0 { return result }
            current[i] += 1
            for j in (i + 1)..<testFolds { current[j] = current[j - 1] + 1 }
        }
    }
}

/// The maximal runs of `true` as ranges.
func ranges(where flags: [Bool]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start: Int?
    for (i, flag) in flags.enumerated() {
        if flag, start == nil { start = i }
        if !flag, let s = start { result.append(s..<i); start = nil }
    }
    if let s = start { result.append(s..<flags.count) }
    return result
}

func binomial(_ n: Int, _ k: Int) -> Int {
    guard k >= 0, k <= n else { return 0 }
    var result = 1
    for i in 0..<Swift.min(k, n - k) {
        let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
        if overflow { return .max }
        result = product / (i + 1)
    }
    return result
}
