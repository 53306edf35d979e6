public import Foundation

/// Finds the read-only material in `../shared` (conformance suites, corpora) for tests.
///
/// The folder is `$SLUICE_SHARED` when set, else `../shared` beside the package root. Tests that
/// need it use `.enabled(if: SharedFixtures.shouldRun)`: they are skipped with a message where the
/// folder is absent, except under `CI=true`, where they run and fail through `directory(_:)`.
public enum SharedFixtures {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    public static var root: URL {
        if let env = ProcessInfo.processInfo.environment["SLUICE_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }

    /// Whether tests that need the shared folder should run: it exists, or we are in CI (where its
    /// absence must fail the run rather than skip).
    public static var shouldRun: Bool { isAvailable || isCI }

    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "shared test material is missing at \(path); set SLUICE_SHARED to the shared/ folder"
        }
    }

    /// The folder or file `relative` inside the shared root; throws when it is absent.
    public static func directory(_ relative: String) throws -> URL {
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return url
    }
}
