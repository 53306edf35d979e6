import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who runs this process, as `user@host`: recorded with every run and every audit row, so both
/// name the same actor for the same run.
public enum ProcessActor {
    public static var current: String {
        let env = ProcessInfo.processInfo.environment
        let user = env["USER"] ?? env["LOGNAME"] ?? "uid\(getuid())"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
