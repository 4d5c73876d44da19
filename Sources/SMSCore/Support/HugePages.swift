#if canImport(Glibc)
    import Glibc
#endif

/// Large lookup tables touched at random (millions of keys) spend much of their time on TLB misses with 4 KiB pages.
/// Asking Linux for transparent huge pages (2 MiB) on them before they are first written removes most of those.
enum HugePages {
    /// Tables smaller than this stay on ordinary pages.
    static let threshold = 8 << 20

    /// An array of `count` copies of `value`, on huge pages when it is large and the system allows it.
    static func array<T>(repeating value: T, count: Int) -> [T] {
        let bytes = count * MemoryLayout<T>.stride
        guard bytes >= threshold else { return [T](repeating: value, count: count) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            #if os(Linux)
                if let base = buffer.baseAddress {
                    let huge = 2 << 20
                    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
                    let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
                    if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
                }
            #endif
            buffer.initialize(repeating: value)
            initialized = count
        }
    }
}
