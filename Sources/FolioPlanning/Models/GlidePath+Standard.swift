// Generated from Examples/Data/models.yaml, key glide_path (branch data); keep the two equal.

extension GlidePath {
    /// Folio's default glide path: the equity share allowed at a number of years before the
    /// goal date, linear between points and flat beyond them, applied as a cap (a model's equity
    /// share is lowered to the path's, never raised). From 30% at the goal date to 90% at 30
    /// years or more. Its content equals the `glide_path` of `Examples/Data/models.yaml`.
    public static let standard = GlidePath(
        points: [
            Point(yearsToGoal: 0, equityShare: 0.3),
            Point(yearsToGoal: 5, equityShare: 0.4),
            Point(yearsToGoal: 10, equityShare: 0.55),
            Point(yearsToGoal: 15, equityShare: 0.68),
            Point(yearsToGoal: 20, equityShare: 0.78),
            Point(yearsToGoal: 25, equityShare: 0.85),
            Point(yearsToGoal: 30, equityShare: 0.9),
        ],
        interpolation: .linear, application: .cap)
}
