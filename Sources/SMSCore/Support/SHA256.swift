import CSHA256

/// SHA-256 (FIPS 180-4), for stable message ids without a crypto dependency: the x86 SHA extensions when the CPU
/// has them (a tiny C target), else plain Swift.
enum SHA256 {
    /// Whether the CPU's SHA instructions are used.
    static let accelerated = csha256_accelerated() == 1

    /// The round constants, from the C target (one table for both paths).
    private static var k: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: csha256_round_constants(), count: 64) }

    static func digest(_ message: [UInt8]) -> [UInt8] {
        digest(message, accelerated: accelerated)
    }

    static func digest(_ message: [UInt8], accelerated: Bool) -> [UInt8] {
        var data = message
        let state = digestWords(padding: &data, accelerated: accelerated)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for v in state {
            out.append(UInt8(v >> 24)); out.append(UInt8((v >> 16) & 0xff))
            out.append(UInt8((v >> 8) & 0xff)); out.append(UInt8(v & 0xff))
        }
        return out
    }

    /// The digest as eight words, `message` padded in place on the way (its storage reused: nothing else is made).
    static func digestWords(padding message: inout [UInt8], accelerated: Bool = accelerated) -> [UInt32] {
        var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        let bitLength = UInt64(message.count) * 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for i in (0..<8).reversed() { message.append(UInt8((bitLength >> (UInt64(i) * 8)) & 0xff)) }
        state.withUnsafeMutableBufferPointer { st in
            message.withUnsafeBufferPointer { d in
                if accelerated {
                    csha256_compress(st.baseAddress!, d.baseAddress!, d.count / 64)
                } else {
                    compressPlain(&st, d)
                }
            }
        }
        return state
    }

    /// Appends the first `count` lowercase hex digits of the SHA-256 of `message` to `out`; `message` is padded in
    /// place (a scratch buffer the caller reuses).
    static func appendHex(padding message: inout [UInt8], digits count: Int, to out: inout [UInt8]) {
        let state = digestWords(padding: &message)
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { d in
            for i in 0..<count {
                let nibble = state[i / 8] >> UInt32(28 - (i % 8) * 4) & 0xF
                out.append(d[Int(nibble)])
            }
        }
    }

    /// The compression function in Swift, over every 64-byte block of `data`.
    static func compressPlain(_ state: inout UnsafeMutableBufferPointer<UInt32>, _ data: UnsafeBufferPointer<UInt8>) {
        let k = SHA256.k
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for chunk in stride(from: 0, to: data.count, by: 64) {
                for i in 0..<16 {
                    let j = chunk + i * 4
                    w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
                }
                for i in 16..<64 {
                    let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                    let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
                for i in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
                state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
                state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
            }
        }
    }

    /// The digest in lowercase hex, its first `digits` characters (all 64 by default).
    static func hex(_ message: [UInt8], digits count: Int = 64) -> String {
        var padded = message
        var out: [UInt8] = []
        appendHex(padding: &padded, digits: count, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
