import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal that asked `sluice run` to stop (0: none yet). Set from the signal handler, so an
/// atomic: the only thing a handler may safely touch.
private let requestedSignal = Atomic<Int32>(0)

/// SIGTERM and SIGINT during `sluice run`: the first one asks the run to stop before its next
/// batch (the batches committed stay, the run writes its log line, summary and metrics, marked
/// `interrupted`, and exits 128 + the signal: 143 for SIGTERM, 130 for SIGINT); a second one
/// ends the process at once, as the signal's default action would (still crash-safe: the next
/// run resumes after the last committed batch).
enum StopSignals {
    static func install() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber) { received in
                if requestedSignal.exchange(received, ordering: .relaxed) != 0 {
                    signal(received, SIG_DFL)
                    raise(received)
                    return
                }
                let note: StaticString = "\nsluice: stopping after the batch under way (signal again to stop at once)\n"
                _ = write(2, note.utf8Start, note.utf8CodeUnitCount)
            }
        }
    }

    /// The signal received, if any.
    static var requested: Int32? {
        let value = requestedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }
}
