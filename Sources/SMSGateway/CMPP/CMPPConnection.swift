import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection to a CMPP centre: frames out, frames in, with time-outs. Not thread-safe: one gateway's loop
/// owns it.
final class CMPPConnection {
    /// The link failed (refused, reset, closed by the peer, timed out, or a malformed PDU).
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var closed = false

    /// Connects to `host:port` within `timeout` seconds.
    init(host: String, port: Int, timeout: Double) throws(Failure) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw Failure(description: "cannot resolve \(host) (\(String(cString: gai_strerror(rc))))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let a = node {
            node = a.pointee.ai_next
            let s = socket(
                a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), a.pointee.ai_protocol)
            guard s >= 0 else { lastError = String(cString: strerror(errno)); continue }
            if connect(s, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                var p = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&p, 1, Int32(max(1, timeout * 1000)))
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &len)
                if ready == 1 && soError == 0 {
                    var one: Int32 = 1
                    setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, socklen_t(MemoryLayout<Int32>.size))
                    fd = s
                    return
                }
                lastError = ready == 0 ? "timed out after \(timeout) s" : String(cString: strerror(soError != 0 ? soError : errno))
            } else {
                lastError = String(cString: strerror(errno))
            }
            Glibc.close(s)
        }
        throw Failure(description: "cannot connect to \(host):\(port) (\(lastError))")
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Writes one frame whole, waiting at most `timeout` seconds for room.
    func send(_ frame: CMPPFrame, timeout: Double) throws(Failure) {
        try send([frame], timeout: timeout)
    }

    /// Writes frames whole, in one go where the socket takes them, waiting at most `timeout` seconds for room.
    func send(_ frames: [CMPPFrame], timeout: Double) throws(Failure) {
        let bytes = frames.flatMap(\.encoded)
        var sent = 0
        let deadline = Date().addingTimeInterval(timeout)
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { sent += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                let left = deadline.timeIntervalSinceNow
                guard left > 0 else { throw Failure(description: "the centre stopped reading (send timed out)") }
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, Int32(max(1, min(left, 1) * 1000)))
                continue
            }
            throw Failure(description: "the connection broke while sending (\(String(cString: strerror(errno))))")
        }
    }

    /// Waits at most `timeout` seconds for bytes, and returns the whole frames that came (maybe none).
    func receive(timeout: Double) throws(Failure) -> [CMPPFrame] {
        var frames = try takeFrames()
        guard frames.isEmpty else { return frames }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, Int32(max(0, timeout * 1000)))
        guard ready > 0 else { return [] }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                buffer += chunk[0..<n]
                if n < chunk.count { break }
                continue
            }
            if n == 0 { throw Failure(description: "the centre closed the connection") }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            if errno == EINTR { continue }
            throw Failure(description: "the connection broke (\(String(cString: strerror(errno))))")
        }
        frames = try takeFrames()
        return frames
    }

    private func takeFrames() throws(Failure) -> [CMPPFrame] {
        var frames: [CMPPFrame] = []
        do {
            while let f = try CMPPFrame.take(from: buffer, at: &start) { frames.append(f) }
        } catch {
            throw Failure(description: error.description)
        }
        if start > 0 && (start == buffer.count || start > 65536) {
            buffer.removeFirst(start)
            start = 0
        }
        return frames
    }
}
