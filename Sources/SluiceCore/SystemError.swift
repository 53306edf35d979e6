import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Errors from the system and Foundation in words of ours: `Permission denied`, `Not a
/// directory`, never `Error Domain=NSCocoaErrorDomain Code=516 "…"`.
public enum SystemError {
    /// The operating system's wording for an errno value (`Permission denied`).
    public static func text(errno code: Int32) -> String {
        guard let p = strerror(code) else { return "error \(code)" }
        return String(cString: p)
    }

    /// `error` as a sentence: errors of ours (and any `CustomStringConvertible` error that is not
    /// a Foundation error) as they describe themselves; a Foundation error by its POSIX cause, or
    /// by what its code means.
    public static func text(_ error: any Error) -> String {
        if let ours = error as? SluiceError { return ours.description }
        if let ours = error as? ConfigDiagnostic { return ours.message }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else {
            return String(describing: error)
        }
        if ns.domain == NSPOSIXErrorDomain { return text(errno: Int32(ns.code)) }
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return text(errno: Int32(posix.code))
        }
        let file = (ns.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
        return file + cocoaMeaning(ns.code)
    }

    private static func cocoaMeaning(_ code: Int) -> String {
        switch code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
        case NSFileWriteFileExistsError: return "a file is in the way"
        case NSFileWriteOutOfSpaceError: return "no space left on the device"
        case NSFileWriteVolumeReadOnlyError: return "the file system is read-only"
        case NSFileReadCorruptFileError: return "the file cannot be read (damaged or not in the expected format)"
        case NSFileReadInapplicableStringEncodingError, NSFileWriteInapplicableStringEncodingError: return "the text is not in the expected encoding"
        case NSFileReadTooLargeError: return "the file is too large"
        // Foundation's file errors are 0...1023, the writing ones from 512.
        case NSFileWriteUnknownError...1023: return "the file cannot be written"
        case 0..<NSFileWriteUnknownError: return "the file cannot be read"
        default: return "the operation failed (Foundation error \(code))"
        }
    }
}
