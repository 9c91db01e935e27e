// swift-tools-version:5.7
//
// libftp for Swift: an async/await wrapper (`Ftp`) over the C API of libftp,
// reached through the system-library target `CFtp` (module map + pkg-config
// "ftp"). See README.md: libftp.so and include/ftp.h come from the
// repository's `cargo build --release`; gen-pc.sh writes a matching ftp.pc.
// Swift 5.7: withTaskCancellationHandler(operation:onCancel:) and top-level
// `await` in the example's main.swift.
import PackageDescription

let package = Package(
    name: "Ftp",
    platforms: [
        .macOS(.v12),
        .iOS(.v15),
    ],
    products: [
        .library(name: "Ftp", targets: ["Ftp"]),
        .executable(name: "fetch", targets: ["fetch"]),
    ],
    targets: [
        .systemLibrary(
            name: "CFtp",
            path: "Sources/CFtp",
            pkgConfig: "ftp"
        ),
        .target(
            name: "Ftp",
            dependencies: ["CFtp"],
            path: "Sources/Ftp"
        ),
        .executableTarget(
            name: "fetch",
            dependencies: ["Ftp"],
            path: "Examples/fetch"
        ),
    ]
)
