/// A dense matrix of `Double`, stored column by column (the layout BLAS and LAPACK expect).
///
/// `Matrix` is a value type: copies share storage until one of them is mutated
/// (copy-on-write through the underlying `Array`). Element `(i, j)` lives at
/// `elements[i + j * rows]`.
///
/// ```swift
/// let a = Matrix(rows: [[4, 2], [2, 3]])
/// let l = try Cholesky(a).lower      // a = l * lᵀ
/// ```
public struct Matrix: Sendable, Equatable, Hashable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in column-major order: element `(i, j)` is `elements[i + j * rows]`.
    ///
    /// Read-only to library users (write through `subscript(_:_:)`, which checks the
    /// indices); Folio's own modules write it in place at array speed (`package(set)`). Its
    /// count must stay `rows * columns`: every BLAS/LAPACK wrapper checks it (a property
    /// observer would make each element write copy the array in unoptimized builds).
    public package(set) var elements: [Double] {
        get { storage }
        _modify { yield &storage }
        set { storage = newValue }
    }

    /// The stored elements (what `elements` reads and writes), visible to the inlinable
    /// element accessors.
    @usableFromInline package var storage: [Double]

    /// A `rows` x `columns` matrix with every element equal to `value`.
    ///
    /// - Complexity: O(rows × columns).
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from its elements in column-major order.
    ///
    /// - Precondition: `elements.count == rows * columns`.
    /// - Complexity: O(1) (the array is adopted, not copied).
    public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(elements.count == rows * columns, "Element count does not match the shape")
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// A matrix from its rows, as written on paper: `Matrix(rows: [[1, 2], [3, 4]])`.
    ///
    /// - Precondition: every row has the same length.
    /// - Complexity: O(rows × columns).
    public init(rows rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "Rows have different lengths")
        var storage = [Double](repeating: 0, count: r * c)
        for i in 0..<r {
            for j in 0..<c { storage[i + j * r] = rowArrays[i][j] }
        }
        self.init(rows: r, columns: c, columnMajor: storage)
    }

    /// A matrix from its columns: `Matrix(columns: [x, y])` has `x` and `y` side by side.
    ///
    /// - Precondition: every column has the same length.
    /// - Complexity: O(rows × columns).
    public init(columns columnArrays: [[Double]]) {
        let c = columnArrays.count
        let r = columnArrays.first?.count ?? 0
        precondition(columnArrays.allSatisfy { $0.count == r }, "Columns have different lengths")
        self.init(rows: r, columns: c, columnMajor: Array(columnArrays.joined()))
    }

    /// The `n` x `n` identity matrix.
    ///
    /// - Complexity: O(n²).
    public static func identity(_ n: Int) -> Matrix {
        diagonal(Array(repeating: 1, count: n))
    }

    /// The square matrix with `values` on its diagonal and zeros elsewhere.
    ///
    /// - Complexity: O(n²) for n = `values.count`.
    public static func diagonal(_ values: [Double]) -> Matrix {
        let n = values.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = values[i] }
        return m
    }

    /// Whether the matrix has as many rows as columns.
    public var isSquare: Bool { rows == columns }

    /// The element in row `row` and column `column` (both zero-based).
    ///
    /// - Complexity: O(1).
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Index out of bounds")
            return storage[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Index out of bounds")
            storage[row + column * rows] = newValue
        }
    }

    /// Row `i` as an array of `columns` values.
    ///
    /// - Complexity: O(columns).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Row index out of bounds")
        return (0..<columns).map { elements[i + $0 * rows] }
    }

    /// Column `j` as an array of `rows` values.
    ///
    /// - Complexity: O(rows).
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "Column index out of bounds")
        return Array(elements[(j * rows)..<((j + 1) * rows)])
    }

    /// The diagonal elements `(i, i)` for `i < min(rows, columns)`.
    ///
    /// - Complexity: O(min(rows, columns)).
    public var diagonal: [Double] {
        (0..<Swift.min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// The transpose: element `(i, j)` of the result is element `(j, i)` of this matrix.
    ///
    /// - Complexity: O(rows × columns).
    public var transposed: Matrix {
        var t = [Double](repeating: 0, count: elements.count)
        elements.withUnsafeBufferPointer { src in
            t.withUnsafeMutableBufferPointer { dst in
                for j in 0..<columns {
                    for i in 0..<rows { dst[j + i * columns] = src[i + j * rows] }
                }
            }
        }
        return Matrix(rows: columns, columns: rows, columnMajor: t)
    }

    /// Whether every element is finite (neither NaN nor infinite).
    ///
    /// - Complexity: O(rows × columns).
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }

    /// The largest absolute difference between `self[i, j]` and `self[j, i]`.
    ///
    /// - Precondition: the matrix is square.
    /// - Complexity: O(n²).
    public var asymmetry: Double {
        precondition(isSquare, "Matrix must be square")
        var worst = 0.0
        for j in 0..<columns {
            for i in (j + 1)..<Swift.max(j + 1, rows) {
                worst = Swift.max(worst, abs(elements[i + j * rows] - elements[j + i * rows]))
            }
        }
        return worst
    }

    /// The Frobenius norm, √(Σ aᵢⱼ²).
    ///
    /// - Complexity: O(rows × columns).
    public var frobeniusNorm: Double {
        elements.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The matrix with every element transformed by `transform`, keeping the shape.
    ///
    /// - Complexity: O(rows × columns).
    public func map(_ transform: (Double) throws -> Double) rethrows -> Matrix {
        Matrix(rows: rows, columns: columns, columnMajor: try elements.map(transform))
    }
}

extension Matrix {
    /// The elements, after checking that their count still matches the shape (it is the
    /// caller's contract when writing `elements` directly). Every BLAS/LAPACK call reads
    /// through this.
    var checkedElements: [Double] {
        precondition(elements.count == rows * columns, "Element count does not match the shape")
        return elements
    }
}
