public import SluiceCore

/// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
/// Jitter"): before retry `n` (1-based) wait a uniform random time in
/// `0 ..< min(cap, base * 2^(n-1))`. Spreading retries over the whole interval keeps clients
/// that failed together from retrying together.
public struct FullJitterBackoff: Sendable {
    public var baseSeconds: Double
    public var capSeconds: Double

    public init(baseSeconds: Double, capSeconds: Double) {
        self.baseSeconds = baseSeconds
        self.capSeconds = capSeconds
    }

    /// The upper bound of the wait before retry `retry` (1-based).
    public func ceiling(retry: Int) -> Double {
        let exponent = Double(max(0, min(retry - 1, 62)))
        return min(capSeconds, baseSeconds * Double.pow2(exponent))
    }

    /// A wait before retry `retry`, drawn from `random`.
    public func delay(retry: Int, random: any RandomSource) -> Double {
        ceiling(retry: retry) * random.nextUnit()
    }
}

extension Double {
    static func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e { r *= 2; i += 1 }
        return r
    }
}
