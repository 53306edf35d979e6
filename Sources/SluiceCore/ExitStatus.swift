/// Process exit statuses, after sysexits(3), as cron and systemd read them.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// A test or check found failures (`sluice test`).
    case failure = 1
    case usage = 64
    /// Data errors over the pipeline's quarantine threshold, or audit verification failed.
    case dataError = 65
    case inputMissing = 66
    /// An upstream was unavailable and no fallback was configured.
    case unavailable = 69
    case internalError = 70
    case cannotCreateOutput = 73
    case ioError = 74
    /// Try again later: the lock is held, or records were deferred.
    case temporaryFailure = 75
    /// A credential's scopes do not allow a request.
    case permissionDenied = 77
    case configInvalid = 78

    public var summary: String {
        switch self {
        case .success: return "success"
        case .failure: return "checks failed"
        case .usage: return "usage error"
        case .dataError: return "data errors over the threshold, or audit verification failed"
        case .inputMissing: return "an input is missing"
        case .unavailable: return "an upstream is unavailable and has no fallback"
        case .internalError: return "internal error"
        case .cannotCreateOutput: return "cannot create an output"
        case .ioError: return "I/O error"
        case .temporaryFailure: return "temporary failure: lock held or records deferred; try at the next schedule"
        case .permissionDenied: return "permission denied by a credential's scopes"
        case .configInvalid: return "configuration invalid"
        }
    }
}

/// An error that stops a run, with the exit status it maps to. Rendered only by the CLI.
public struct SluiceError: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String
    /// The underlying error's description, if any.
    public var cause: String?

    public init(_ status: ExitStatus, _ message: String, cause: (any Error)? = nil) {
        self.status = status
        self.message = message
        self.cause = cause.map { SystemError.text($0) }
    }

    public var description: String { cause.map { "\(message): \($0)" } ?? message }
}
