/// MinHash signatures: for each of `permutations` hash functions, the least hash over a
/// document's shingles. Two documents agree at one position with probability equal to the
/// Jaccard similarity of their shingle sets.
///
/// The hash functions are multiply-shift permutations `h_i(x) = (a_i * x + b_i) >> 32` with
/// `a_i` odd, drawn from SplitMix64 with a fixed seed, so signatures are the same on every
/// machine and in every run (they are stored in the state DB and compared across runs).
public struct MinHasher: Sendable {
    public let permutations: Int
    private let a: [UInt64]
    private let b: [UInt64]

    public init(permutations: Int, seed: UInt64 = 0x51_75_69_63_65) {
        self.permutations = max(1, permutations)
        var state = seed
        var a: [UInt64] = [], b: [UInt64] = []
        for _ in 0..<self.permutations {
            state &+= 0x9E37_79B9_7F4A_7C15
            a.append(Shingler.mix(state) | 1)
            state &+= 0x9E37_79B9_7F4A_7C15
            b.append(Shingler.mix(state))
        }
        self.a = a
        self.b = b
    }

    /// The signature of a set of shingle hashes; nil for an empty set (nothing to compare).
    ///
    /// Permutation-major with four permutations per pass, so each pass keeps its minima in
    /// registers; `>> 32` is monotone, so the minimum is taken over `a * x + b` and shifted once.
    public func signature(_ shingles: [UInt64]) -> [UInt32]? {
        guard !shingles.isEmpty else { return nil }
        let n = permutations
        return [UInt32](unsafeUninitializedCapacity: n) { sig, count in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    shingles.withUnsafeBufferPointer { xs in
                        var i = 0
                        while i + 4 <= n {
                            let a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3]
                            let b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3]
                            var m0 = UInt64.max, m1 = UInt64.max, m2 = UInt64.max, m3 = UInt64.max
                            for x in xs {
                                m0 = Swift.min(m0, a0 &* x &+ b0)
                                m1 = Swift.min(m1, a1 &* x &+ b1)
                                m2 = Swift.min(m2, a2 &* x &+ b2)
                                m3 = Swift.min(m3, a3 &* x &+ b3)
                            }
                            sig[i] = UInt32(truncatingIfNeeded: m0 >> 32)
                            sig[i + 1] = UInt32(truncatingIfNeeded: m1 >> 32)
                            sig[i + 2] = UInt32(truncatingIfNeeded: m2 >> 32)
                            sig[i + 3] = UInt32(truncatingIfNeeded: m3 >> 32)
                            i += 4
                        }
                        while i < n {
                            var m = UInt64.max
                            for x in xs { m = Swift.min(m, a[i] &* x &+ b[i]) }
                            sig[i] = UInt32(truncatingIfNeeded: m >> 32)
                            i += 1
                        }
                    }
                }
            }
            count = n
        }
    }

    /// The fraction of positions where two signatures agree: the estimated Jaccard similarity.
    public static func estimatedJaccard(_ x: [UInt32], _ y: [UInt32]) -> Double {
        let n = min(x.count, y.count)
        guard n > 0 else { return 0 }
        var same = 0
        for i in 0..<n where x[i] == y[i] { same += 1 }
        return Double(same) / Double(n)
    }
}

/// Locality-sensitive hashing over MinHash signatures: `bands` bands of `rows` rows; documents
/// that agree on every row of at least one band become candidates.
public struct LSHBands: Sendable, Hashable {
    public var bands: Int
    public var rows: Int

    public init(bands: Int, rows: Int) {
        self.bands = bands
        self.rows = rows
    }

    /// The band count and width datasketch's `MinHashLSH` picks (`_optimal_param`): among all
    /// `bands * rows <= permutations`, the one with the least weighted sum of the false-positive
    /// area (probability of becoming a candidate, integrated from 0 to the threshold) and the
    /// false-negative area (probability of not becoming one, from the threshold to 1). With the
    /// default weights 0.5/0.5 and 128 permutations: 0.5 → 25×5, 0.7 → 14×9, 0.8 → 9×13, 0.9 → 5×25.
    public static func optimal(threshold: Double, permutations: Int,
                               falsePositiveWeight: Double = 0.5, falseNegativeWeight: Double = 0.5) -> LSHBands {
        var best = LSHBands(bands: 1, rows: 1)
        var minError = Double.infinity
        for b in 1...max(1, permutations) {
            for r in 1...max(1, permutations / b) {
                let fb = Double(b), fr = Double(r)
                let fp = integrate(from: 0, to: threshold) { s in 1 - pow1(1 - pow1(s, fr), fb) }
                let fn = integrate(from: threshold, to: 1) { s in pow1(1 - pow1(s, fr), fb) }
                let error = fp * falsePositiveWeight + fn * falseNegativeWeight
                if error < minError {
                    minError = error
                    best = LSHBands(bands: b, rows: r)
                }
            }
        }
        return best
    }

    /// The probability that two documents of Jaccard similarity `s` become candidates.
    public func candidateProbability(_ s: Double) -> Double {
        1 - pow1(1 - pow1(s, Double(rows)), Double(bands))
    }

    /// A 64-bit hash of band `band` of `signature`.
    public func bandHash(_ signature: [UInt32], band: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(band)
        let lo = band * rows
        for i in lo..<min(signature.count, lo + rows) { h = Shingler.mix(h ^ UInt64(signature[i])) }
        return h
    }

    /// Composite Simpson's rule; the integrands are smooth polynomials in `s`.
    static func integrate(from lo: Double, to hi: Double, _ f: (Double) -> Double) -> Double {
        let n = 256
        let h = (hi - lo) / Double(n)
        guard h > 0 else { return 0 }
        var sum = f(lo) + f(hi)
        for i in 1..<n { sum += f(lo + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }
}

/// `x^y` for `x` in [0, 1] and a positive integer-valued `y`, by repeated squaring (no libm).
@inline(__always)
func pow1(_ x: Double, _ y: Double) -> Double {
    var result = 1.0, base = x, e = Int(y)
    while e > 0 {
        if e & 1 == 1 { result *= base }
        base *= base
        e >>= 1
    }
    return result
}
