#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text encodings a snapshot may use.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030

    /// Accepts `utf-8`, `utf8`, `gb18030`, `gbk` (GBK is a subset of GB18030), any case.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312": self = .gb18030
        default: return nil
        }
    }

    /// The byte-order mark a file in this encoding may start with.
    var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .gb18030: [0x84, 0x31, 0x95, 0x33]
        }
    }
}

/// Converts GB18030 bytes to UTF-8 with glibc iconv, reporting where an invalid byte sequence starts.
final class GB18030Decoder {
    struct InvalidBytes: Error {
        /// Offset of the first byte that could not be decoded.
        var offset: Int
        /// What could be decoded before it, as UTF-8.
        var decodedPrefix: [UInt8]
    }

    private let handle: iconv_t

    init?() {
        let h = iconv_open("UTF-8", "GB18030")
        guard let h, Int(bitPattern: h) != -1 else { return nil }
        handle = h
    }

    deinit { iconv_close(handle) }

    func decode(_ input: ArraySlice<UInt8>) throws(InvalidBytes) -> [UInt8] {
        if input.allSatisfy({ $0 < 0x80 }) { return Array(input) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 8)
        var source = Array(input)
        let (status, consumed, produced): (Int, Int, Int) = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = src.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = dst.count
                _ = iconv(handle, nil, nil, nil, nil)
                let r = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
                var status = r == -1 ? Int(errno) : 0
                if status == 0 {
                    // Flush: an incomplete sequence at the end is invalid too.
                    if iconv(handle, nil, nil, &outPtr, &outLeft) == -1 { status = Int(errno) }
                }
                return (status, src.count - inLeft, dst.count - outLeft)
            }
        }
        if status != 0 || consumed < input.count {
            throw InvalidBytes(offset: consumed, decodedPrefix: Array(output[0..<produced]))
        }
        return Array(output[0..<produced])
    }
}
