// swift-tools-version: 6.1
//
// An application that uses Folio as a dependency, the way your own package would: a package
// of its own that names Folio in `dependencies` and imports its products. Run from this folder:
//
//     swift run UsingFolio [couple|retiree|young-accumulator]
//
// In your own package, replace the path with the repository's URL and a version, e.g.
//     .package(url: "https://example.com/folio.git", from: "0.1.0")
// Folio needs OpenBLAS on the system: `Scripts/setup-debian.sh` in the Folio repository.
import PackageDescription

let package = Package(
    name: "UsingFolio",
    platforms: [.macOS(.v13)],
    dependencies: [
        // `name:` keeps the package identity "Folio" whatever the folder is called.
        .package(name: "Folio", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "UsingFolio",
            dependencies: [.product(name: "Folio", package: "Folio")]),
    ],
    swiftLanguageModes: [.v6]
)
