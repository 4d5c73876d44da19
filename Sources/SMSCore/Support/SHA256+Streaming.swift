import CSHA256

extension SHA256 {
    /// SHA-256 over bytes fed a piece at a time (a plan's digest covers a million messages; they are never
    /// all in memory at once).
    struct Stream {
        private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        private var pending: [UInt8] = []
        private var length: UInt64 = 0

        init() { pending.reserveCapacity(64 * 64) }

        mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
            length += UInt64(bytes.count)
            pending.append(contentsOf: bytes)
            let whole = pending.count / 64 * 64
            guard whole >= 64 * 32 else { return }
            compressWhole(whole)
        }

        mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { update($0) } }

        /// Compresses the first `count` bytes of `pending` (a multiple of 64) and keeps the rest.
        private mutating func compressWhole(_ count: Int) {
            state.withUnsafeMutableBufferPointer { st in
                pending.withUnsafeBufferPointer { d in
                    SHA256.compress(blocks: UnsafeBufferPointer(rebasing: d[0..<count]), into: st)
                }
            }
            pending.removeFirst(count)
        }

        /// The digest in lowercase hex (64 digits).
        mutating func finalHex() -> String {
            let bitLength = length * 8
            pending.append(0x80)
            while pending.count % 64 != 56 { pending.append(0) }
            for i in (0..<8).reversed() { pending.append(UInt8((bitLength >> (UInt64(i) * 8)) & 0xff)) }
            compressWhole(pending.count)
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            for word in state {
                for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int(word >> UInt32(shift) & 0xF)]) }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Compresses whole 64-byte blocks into `state`, with the CPU's SHA instructions when it has them.
    static func compress(blocks: UnsafeBufferPointer<UInt8>, into state: UnsafeMutableBufferPointer<UInt32>) {
        guard !blocks.isEmpty else { return }
        if accelerated {
            csha256_compress(state.baseAddress!, blocks.baseAddress!, blocks.count / 64)
        } else {
            var st = state
            compressPlain(&st, blocks)
        }
    }
}

/// The digest of a plan (issue 16): SHA-256, lowercase hex, over its messages in send order, each contributing
/// `id + "\t" + text + "\n"` in UTF-8. A reviewer approves a digest; a run sends a plan only when its digest is the
/// one approved, so one changed message or character is not covered.
public struct PlanDigest: Sendable {
    private var stream = SHA256.Stream()
    /// Messages added.
    public private(set) var count = 0

    public init() {}

    /// Adds one message.
    public mutating func add(id: String, text: String) {
        var id = id, text = text
        id.withUTF8 { stream.update($0) }
        stream.update([0x09])
        text.withUTF8 { stream.update($0) }
        stream.update([0x0A])
        count += 1
    }

    /// The digest so far is final once read; reading it ends the digest.
    public mutating func hex() -> String { stream.finalHex() }
}
