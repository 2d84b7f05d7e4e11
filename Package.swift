// swift-tools-version:6.0
// CourseMesh: one SwiftPM target per layer of Docs/architecture.md; imports only go down.
import PackageDescription

/// Applied to every Swift target below, so all code builds in one language mode.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "CourseMesh",
    products: [
        .executable(name: "coursemesh", targets: ["coursemesh"]),
    ],
    targets: [
        // System-library shims: headers and link flags, nothing else.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // The node store's SQL migrations, embedded in the binary in file-name order.
        .target(name: "Migrations", path: "Migrations", exclude: ["README.md"],
                resources: [.embedInCode("sql")]),

        .target(name: "MeshCore"),
        .target(name: "MeshHTTP", dependencies: ["MeshCore", "CZlib", "CEpoll", "CCurl"]),
        .target(name: "MeshStore", dependencies: ["CSQLite", "CLibPQ", "Migrations", "MeshCore"]),
        .target(name: "MoodleSource", dependencies: ["CLibPQ", "CSQLite", "CLibXML2", "MeshCore"]),
        .target(name: "Overlay", dependencies: ["MeshCore"]),
        .target(name: "Search", dependencies: ["Overlay", "MeshStore", "MeshCore"]),
        .target(name: "Rollup", dependencies: ["Overlay", "MeshStore", "MeshCore"]),
        .target(name: "Web", dependencies: ["Search", "Rollup", "Overlay", "MeshHTTP", "MeshStore", "MeshCore"],
                // Docs/openapi.json, linked here so the served document is the documented one.
                resources: [.embedInCode("Resources/openapi.json")]),
        .target(name: "CourseMesh", dependencies: ["Web", "Search", "Rollup", "Overlay", "MoodleSource",
                                                   "MeshStore", "MeshHTTP", "MeshCore", "CZlib"],
                exclude: ["Resources/README.md", "Resources/make-demo-campuses.py"],
                // The demo's campuses and Moodle database (Resources/README.md), beside the binary.
                resources: [.copy("Resources/Demo")]),
        .executableTarget(name: "coursemesh", dependencies: ["CourseMesh", "Web", "MeshHTTP", "Overlay", "MoodleSource", "MeshStore", "MeshCore"]),

        .testTarget(name: "MeshCoreTests", dependencies: ["MeshCore"]),
        .testTarget(name: "MeshHTTPTests", dependencies: ["MeshHTTP"]),
        .testTarget(name: "MeshStoreTests", dependencies: ["MeshStore"]),
        .testTarget(name: "MoodleSourceTests", dependencies: ["MoodleSource", "CLibPQ", "CSQLite"]),
        .testTarget(name: "OverlayTests", dependencies: ["Overlay"]),
        .testTarget(name: "SearchTests", dependencies: ["Search"]),
        .testTarget(name: "RollupTests", dependencies: ["Rollup"]),
        .testTarget(name: "WebTests", dependencies: ["Web"]),
        .testTarget(name: "CourseMeshTests", dependencies: ["CourseMesh", "MoodleSource", "MeshStore", "MeshHTTP", "Overlay", "MeshCore"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
