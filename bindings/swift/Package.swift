// swift-tools-version:5.5
//
// libftp for Swift: a thin wrapper (`Ftp`) over the C API of libftp, reached
// through the system-library target `CFtp` (module map + pkg-config "ftp").
// See README.md: libftp.so and include/ftp.h come from the repository's
// `cargo build --release`; gen-pc.sh writes a matching ftp.pc.
import PackageDescription

let package = Package(
    name: "Ftp",
    products: [
        .library(name: "Ftp", targets: ["Ftp"]),
        .executable(name: "ftp-get", targets: ["ftp-get"]),
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
            name: "ftp-get",
            dependencies: ["Ftp"],
            path: "Examples/ftp-get"
        ),
    ]
)
