/// A small, fast, seeded pseudo-random generator (SplitMix64), so that every
/// randomized test is reproducible: a failure message prints the seed, and
/// running with that seed replays the exact case.
///
/// It is ours rather than the system generator because
/// `SystemRandomNumberGenerator` cannot be seeded, and because the sequence
/// must not change with the toolchain.
struct SeededRandom: RandomNumberGenerator {
    private(set) var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes drawn uniformly from `alphabet`.
    mutating func bytes(_ count: Int, from alphabet: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(alphabet[Int.random(in: 0..<alphabet.count, using: &self)])
        }
        return result
    }

    /// `count` bytes drawn uniformly from all 256 values.
    mutating func anyBytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(UInt8.random(in: .min ... .max, using: &self))
        }
        return result
    }
}
