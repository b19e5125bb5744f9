import Foundation

extension URL {
    /// The file a path written inside a file names: an absolute path (`/data/answers.yaml`,
    /// or `~/answers.yaml` for the home folder) as it is, a relative one from `folder` (the
    /// folder of the file that contains it), as `Documentation/FileFormats.md` specifies.
    ///
    /// - Complexity: O(path length).
    static func named(_ path: String, inFileIn folder: URL) -> URL {
        let expanded = path.hasPrefix("~") ? (path as NSString).expandingTildeInPath : path
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return folder.appendingPathComponent(expanded)
    }
}
