/// A first-in first-out hand-over between two steps of the runner, holding at most `capacity`
/// elements: `send` suspends while it is full (backpressure), `next` suspends while it is empty.
/// Nothing blocks a thread. One producer and one consumer.
///
/// Either side can end it: the producer with `finish(throwing:)` (the consumer gets the rest,
/// then nil or the error), the consumer with `close(throwing:)` (a waiting or later `send`
/// throws the error, buffered elements are dropped), so a failing step never leaves the other
/// one waiting.
final class BoundedQueue<Element: Sendable>: Sendable {
    private struct State {
        var buffer: [Element] = []
        /// A sender waiting for room, with its element.
        var parked: (element: Element, resume: CheckedContinuation<Void, any Error>)?
        var receiver: CheckedContinuation<Element?, any Error>?
        var finished = false
        var failure: (any Error)?
        var closed: (any Error)?
    }

    private enum SendAction { case resume, fail(any Error), deliver(CheckedContinuation<Element?, any Error>), wait }
    private enum NextAction { case give(Element, CheckedContinuation<Void, any Error>?), end((any Error)?), wait }

    let capacity: Int
    private let state = Locked(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands `element` over; suspends while the queue is full. Throws when the consumer closed it.
    func send(_ element: Element) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let action: SendAction = state.withLock { s in
                if let error = s.closed { return .fail(error) }
                if let r = s.receiver {
                    s.receiver = nil
                    return .deliver(r)
                }
                if s.buffer.count < capacity {
                    s.buffer.append(element)
                    return .resume
                }
                s.parked = (element, c)
                return .wait
            }
            switch action {
            case .resume: c.resume()
            case .fail(let error): c.resume(throwing: error)
            case .deliver(let r): r.resume(returning: element); c.resume()
            case .wait: break
            }
        }
    }

    /// The next element; nil once the producer finished and everything was taken.
    func next() async throws -> Element? {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Element?, any Error>) in
            let action: NextAction = state.withLock { s in
                if !s.buffer.isEmpty {
                    let e = s.buffer.removeFirst()
                    var sender: CheckedContinuation<Void, any Error>?
                    if let p = s.parked {
                        s.buffer.append(p.element)
                        s.parked = nil
                        sender = p.resume
                    }
                    return .give(e, sender)
                }
                if s.finished { return .end(s.failure) }
                s.receiver = c
                return .wait
            }
            switch action {
            case .give(let e, let sender): c.resume(returning: e); sender?.resume()
            case .end(let error?): c.resume(throwing: error)
            case .end(nil): c.resume(returning: nil)
            case .wait: break
            }
        }
    }

    /// The producer is done (with `error`, the consumer throws it after the buffered elements).
    func finish(throwing error: (any Error)? = nil) {
        let receiver: CheckedContinuation<Element?, any Error>? = state.withLock { s in
            guard !s.finished else { return nil }
            s.finished = true
            s.failure = error
            guard s.buffer.isEmpty else { return nil }
            defer { s.receiver = nil }
            return s.receiver
        }
        if let error { receiver?.resume(throwing: error) } else { receiver?.resume(returning: nil) }
    }

    /// The consumer stopped: a waiting or later `send` throws `error`; buffered elements go.
    func close(throwing error: any Error) {
        let sender: CheckedContinuation<Void, any Error>? = state.withLock { s in
            s.closed = s.closed ?? error
            s.buffer = []
            defer { s.parked = nil }
            return s.parked?.resume
        }
        sender?.resume(throwing: error)
    }
}
