/// One of N parts of the subscribers, so N planners can split one night's snapshot (`--shard k/N`).
///
/// A subscriber belongs to shard `mix(number) mod N`, where `number` is the 11-digit msisdn as an integer and `mix`
/// is the SplitMix64 finaliser: stable across runs, machines and builds, and even however numbers were allocated.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// Which part, `0..<count`.
    public let index: Int
    /// How many parts.
    public let count: Int

    /// Every subscriber.
    public static let all = Shard(uncheckedIndex: 0, count: 1)

    init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `k/N` with `N ≥ 1`. `k` may count from 0 (`0/4`…`3/4`) or from 1 (`1/4`…`4/4`): `N/N` is part 0.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k <= n else { return nil }
        self.init(uncheckedIndex: k % n, count: n)
    }

    /// True when the subscriber with this number belongs here.
    @inlinable
    public func contains(number: UInt64) -> Bool {
        count == 1 || Int(Shard.mix(number) % UInt64(count)) == index
    }

    /// True when the subscriber with this 11-digit msisdn belongs here.
    public func contains(msisdn: String) -> Bool { contains(number: Msisdn.number(msisdn)) }

    /// SplitMix64's finaliser: every input bit moves every output bit.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public var description: String { "\(index)/\(count)" }
}
