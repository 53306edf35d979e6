import Foundation
import SluiceJSON

/// A circuit breaker for one host.
///
/// Closed: calls go through and their outcomes fill a window of the last `windowCalls` calls;
/// the window is kept across runs (in the checkpoint); once it holds at least `minimumCalls` and the share of failures reaches
/// `failureRatio`, it opens. Open: no call is allowed until `openSecs` have passed (on the
/// injected clock). Half-open: up to `halfOpenProbes` calls go through; as many successes close
/// it (with an empty window), one failure opens it again.
struct CircuitBreaker: Sendable {
    enum State: String, Sendable { case closed, open, halfOpen = "half_open" }

    /// A change of state, for the audit trail.
    struct Transition: Sendable {
        var from: State
        var to: State
        var failures: Int
        var calls: Int
    }

    let settings: HTTPSettings.Breaker
    private(set) var state: State = .closed
    private(set) var openedAt: Date?
    private var window: [Bool] = []
    private var probesInFlight = 0
    private var probeSuccesses = 0

    init(settings: HTTPSettings.Breaker) { self.settings = settings }

    /// Restores a breaker from a checkpoint: open (a half-open one is restored as open) when it
    /// has an opening time, else closed with the window of calls the earlier runs left, so that
    /// an outage that outlasts one run's `max_attempts` still fills the window and opens it.
    init(settings: HTTPSettings.Breaker, memory: HostMemory) {
        self.settings = settings
        if let at = memory.openedAt {
            state = .open
            openedAt = at
        } else {
            window = Array(memory.window.suffix(settings.windowCalls))
        }
    }

    /// What the checkpoint keeps of this breaker.
    var memory: HostMemory {
        var m = HostMemory()
        if state != .closed { m.openedAt = openedAt } else { m.window = window }
        return m
    }

    /// Whether a call may be made now; moves open to half-open when its time is up.
    mutating func allowCall(now: Date) -> (allowed: Bool, transition: Transition?) {
        guard settings.enabled else { return (true, nil) }
        switch state {
        case .closed:
            return (true, nil)
        case .open:
            guard let openedAt, now.timeIntervalSince(openedAt) >= settings.openSecs else { return (false, nil) }
            state = .halfOpen
            probesInFlight = 1
            probeSuccesses = 0
            return (true, Transition(from: .open, to: .halfOpen, failures: 0, calls: 0))
        case .halfOpen:
            guard probesInFlight + probeSuccesses < settings.halfOpenProbes else { return (false, nil) }
            probesInFlight += 1
            return (true, nil)
        }
    }

    /// Records a call's outcome.
    mutating func record(success: Bool, now: Date) -> Transition? {
        guard settings.enabled else { return nil }
        switch state {
        case .closed:
            window.append(success)
            if window.count > settings.windowCalls { window.removeFirst(window.count - settings.windowCalls) }
            let failures = window.filter { !$0 }.count
            if window.count >= settings.minimumCalls, Double(failures) / Double(window.count) >= settings.failureRatio {
                state = .open
                openedAt = now
                let t = Transition(from: .closed, to: .open, failures: failures, calls: window.count)
                window.removeAll()
                return t
            }
            return nil
        case .halfOpen:
            probesInFlight = max(0, probesInFlight - 1)
            if !success {
                state = .open
                openedAt = now
                return Transition(from: .halfOpen, to: .open, failures: 1, calls: probeSuccesses + 1)
            }
            probeSuccesses += 1
            if probeSuccesses >= settings.halfOpenProbes {
                state = .closed
                window.removeAll()
                return Transition(from: .halfOpen, to: .closed, failures: 0, calls: probeSuccesses)
            }
            return nil
        case .open:
            return nil
        }
    }
}
