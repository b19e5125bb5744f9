import Foundation

/// The one way Folio's tests load golden fixtures: JSON files written by the Python scripts
/// under `Scripts/golden/`, committed in the test target's `Fixtures/` folder next to the
/// test file. Tests read fixtures; they never run Python.
public enum GoldenFixture: Sendable {
    /// The URL of `Fixtures/<name>` in the folder of the calling file.
    ///
    /// - Parameter filePath: leave as the default: the caller's `#filePath`.
    /// - Complexity: O(1).
    public static func url(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// The bytes of `Fixtures/<name>` next to the calling file.
    ///
    /// - Throws: the file system's error when the fixture is missing or unreadable.
    /// - Complexity: O(file size).
    public static func data(_ name: String, filePath: String = #filePath) throws -> Data {
        try Data(contentsOf: url(name, filePath: filePath))
    }

    /// `Fixtures/<name>` next to the calling file, decoded as JSON.
    ///
    /// - Throws: the file system's error, or `DecodingError` naming the field that does not fit.
    /// - Complexity: O(file size).
    public static func decode<T: Decodable>(_ type: T.Type, from name: String, filePath: String = #filePath) throws -> T {
        try JSONDecoder().decode(type, from: data(name, filePath: filePath))
    }
}
