/// CMPP's command ids (CMPP 2.0 §7.4.1; the same in 3.0).
public enum CMPPCommand: UInt32, Sendable {
    case connect = 0x0000_0001
    case connectResp = 0x8000_0001
    case terminate = 0x0000_0002
    case terminateResp = 0x8000_0002
    case submit = 0x0000_0004
    case submitResp = 0x8000_0004
    case deliver = 0x0000_0005
    case deliverResp = 0x8000_0005
    case activeTest = 0x0000_0008
    case activeTestResp = 0x8000_0008
}

/// The protocol version a connection speaks: 2.0 (0x20) or 3.0 (0x30). 3.0 widens terminal ids to 32 bytes (with
/// a type byte), statuses and results to 4 bytes, and adds a link id.
public enum CMPPVersion: UInt8, Sendable {
    case v20 = 0x20
    case v30 = 0x30

    /// Bytes of a terminal id (Dest_terminal_Id, Fee_terminal_Id, Src_terminal_Id).
    var terminalIDLength: Int { self == .v20 ? 21 : 32 }
    /// Bytes of a status or result field.
    var statusLength: Int { self == .v20 ? 1 : 4 }

    public var description: String { self == .v20 ? "2.0" : "3.0" }
}

/// One PDU: the 12-byte header (Total_Length, Command_Id, Sequence_Id, big-endian) and its body.
public struct CMPPFrame: Sendable, Equatable {
    public var command: UInt32
    public var sequence: UInt32
    public var body: [UInt8]

    /// The largest PDU accepted from a peer (a SUBMIT to 100 numbers is about 3.3 KB).
    public static let maxLength = 8192

    public init(_ command: CMPPCommand, sequence: UInt32, body: [UInt8] = []) {
        self.command = command.rawValue
        self.sequence = sequence
        self.body = body
    }

    init(command: UInt32, sequence: UInt32, body: [UInt8]) {
        (self.command, self.sequence, self.body) = (command, sequence, body)
    }

    /// The frame on the wire.
    public var encoded: [UInt8] {
        var w = CMPPWriter()
        w.u32(UInt32(12 + body.count))
        w.u32(command)
        w.u32(sequence)
        w.bytes(body)
        return w.data
    }

    /// A peer that breaks the framing: the connection cannot be trusted any more.
    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Takes the first whole frame off `buffer` (from `start`), or `nil` when more bytes are needed.
    public static func take(from buffer: [UInt8], at start: inout Int) throws(Malformed) -> CMPPFrame? {
        guard buffer.count - start >= 12 else { return nil }
        var r = CMPPReader(buffer[start..<(start + 12)])
        let length = Int(r.u32()), command = r.u32(), sequence = r.u32()
        guard length >= 12, length <= maxLength else {
            throw Malformed(description: "the peer sent a PDU of \(length) bytes (Total_Length must be 12…\(maxLength))")
        }
        guard buffer.count - start >= length else { return nil }
        let body = Array(buffer[(start + 12)..<(start + length)])
        start += length
        return CMPPFrame(command: command, sequence: sequence, body: body)
    }
}

/// Appends big-endian integers and fixed-width octet strings.
struct CMPPWriter {
    var data: [UInt8] = []

    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u32(_ v: UInt32) { for s in [24, 16, 8, 0] { data.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    mutating func u64(_ v: UInt64) { for s in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }
    mutating func bytes(_ b: [UInt8]) { data += b }
    /// An integer field of `width` bytes (1 or 4).
    mutating func status(_ v: UInt32, width: Int) { if width == 1 { u8(UInt8(truncatingIfNeeded: v)) } else { u32(v) } }

    /// `text` as ASCII in exactly `width` bytes, padded with zero bytes (callers keep it short enough).
    mutating func octets(_ text: String, _ width: Int) {
        let b = Array(text.utf8.prefix(width))
        data += b + [UInt8](repeating: 0, count: width - b.count)
    }
}

/// Reads big-endian integers and fixed-width octet strings; reading past the end yields zeros and sets `short`.
struct CMPPReader {
    private let bytes: ArraySlice<UInt8>
    private var at: Int
    private(set) var short = false

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        at = bytes.startIndex
    }

    init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    var remaining: Int { max(0, bytes.endIndex - at) }

    mutating func take(_ n: Int) -> [UInt8] {
        guard n >= 0, at + n <= bytes.endIndex else {
            short = true
            let part = Array(bytes[min(at, bytes.endIndex)...])
            at = bytes.endIndex
            return part + [UInt8](repeating: 0, count: max(0, n - part.count))
        }
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }

    mutating func u8() -> UInt8 { take(1)[0] }
    mutating func u32() -> UInt32 { take(4).reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() -> UInt64 { take(8).reduce(0) { $0 << 8 | UInt64($1) } }
    mutating func status(width: Int) -> UInt32 { width == 1 ? UInt32(u8()) : u32() }

    /// A fixed-width octet string, up to its first zero byte, as text.
    mutating func octets(_ width: Int) -> String {
        let b = take(width)
        return String(decoding: b.prefix { $0 != 0 }, as: UTF8.self)
    }
}
