public import Foundation

/// Runs the built `sluice` executable as a user would, for end-to-end tests.
public struct SluiceProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `sluice` binary beside the running test bundle (SwiftPM builds products into one folder).
    public static var executable: URL? {
        var candidates: [URL] = []
        let me = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        candidates.append(me.deletingLastPathComponent().appendingPathComponent("sluice"))
        candidates.append(me.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sluice"))
        for config in ["debug", "release"] {
            candidates.append(SharedFixtures.packageRoot.appendingPathComponent(".build/\(config)/sluice"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    public struct NotBuilt: Error, CustomStringConvertible {
        public var description: String { "the sluice executable was not found next to the tests; run `swift build` first" }
    }

    /// Runs `sluice ARGS` in `directory` and waits for it.
    public static func run(_ args: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        guard let exe = executable else { throw NotBuilt() }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        let outData = ReadAll(out.fileHandleForReading), errData = ReadAll(err.fileHandleForReading)
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: outData.wait(), stderr: errData.wait())
    }
}

/// Reads a pipe to its end on a background thread.
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }
    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
