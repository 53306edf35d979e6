import Foundation

/// Random numbers for jitter and sampling, injected so that tests are reproducible.
public protocol RandomSource: Sendable {
    /// A uniformly distributed value in `0 ..< 1`.
    func nextUnit() -> Double
}

/// The system's generator.
public struct SystemRandomSource: RandomSource {
    public init() {}
    public func nextUnit() -> Double { Double.random(in: 0..<1) }
}

/// SplitMix64: small, fast, and the same sequence for a seed on every platform (test corpora,
/// benchmarks and `SeededRandomSource` all draw from it).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A seeded `RandomSource` (SplitMix64), safe to share between threads.
public final class SeededRandomSource: RandomSource, Sendable {
    private let generator: Locked<SplitMix64>

    public init(seed: UInt64) { generator = Locked(SplitMix64(seed: seed)) }

    public func nextUnit() -> Double {
        Double(generator.withLock { $0.next() } >> 11) / Double(UInt64(1) << 53)
    }
}
