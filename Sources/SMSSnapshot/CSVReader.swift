#if canImport(Glibc)
    import Glibc
#endif

/// Streams one CSV file (RFC 4180) in chunks and hands each record's fields to a callback.
///
/// Works on bytes so that it serves UTF-8 and GB18030 alike: in both, the quote, CR and LF bytes never occur inside
/// a multi-byte character, so records can be found before decoding. The delimiter may (GBK trail bytes include `|`),
/// so a GB18030 record is decoded to UTF-8 before its fields are split. Memory stays at one chunk plus one record.
struct CSVReader {
    /// The file's name in messages, e.g. `subscribers.csv`.
    let name: String
    /// Lower-cased, trimmed header names.
    private(set) var header: [String] = []
    /// Column index by header name.
    private(set) var columns: [String: Int] = [:]

    private let fd: Int32
    private let delimiter: UInt8
    private let decoder: GB18030Decoder?
    private let byteOrderMark: [UInt8]
    /// Bytes read and not yet consumed are `buffer[position..<filled]`.
    private var buffer: [UInt8] = []
    private var filled = 0
    private var position = 0
    /// Size of the file in bytes (for sizing tables).
    private(set) var fileSize = 0
    private var atEOF = false
    private var line = 1
    private var first = true
    static let chunk = 8 << 20

    /// One record: its fields as UTF-8 bytes, read through a ``View``.
    struct Row {
        var line = 0
        /// The record, decoded to UTF-8.
        var record: [UInt8] = []
        /// Field contents, unquoted, each followed by one separator byte; field i is `bounds[i] ..< bounds[i + 1] - 1`.
        let fields = ByteStore()
        var bounds: [Int] = []

        var count: Int { bounds.count - 1 }

        var raw: String { record.withUnsafeBufferPointer(CSVReader.rawText) }

        /// Calls `body` with a view of this row (valid only inside `body`).
        func withView<R>(_ body: (View) throws -> R) rethrows -> R {
            try record.withUnsafeBufferPointer { r in
                try bounds.withUnsafeBufferPointer { b in
                    try body(View(line: line, fields: UnsafePointer(fields.base), bounds: b, record: r))
                }
            }
        }
    }

    /// One record as pointers into the reader's buffers: nothing in it is reference counted, so a parser reading
    /// fields costs no retain or release. Valid only while the reader is on this record.
    struct View {
        let line: Int
        let fields: UnsafePointer<UInt8>
        let bounds: UnsafeBufferPointer<Int>
        let record: UnsafeBufferPointer<UInt8>

        var count: Int { bounds.count - 1 }

        /// Field `i` without surrounding blanks.
        @inline(__always)
        func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            var lo = bounds[i], hi = bounds[i + 1] - 1
            let f = fields
            while lo < hi, f[lo] == 0x20 || f[lo] == 0x09 { lo += 1 }
            while hi > lo, f[hi - 1] == 0x20 || f[hi - 1] == 0x09 || f[hi - 1] == 0x0D { hi -= 1 }
            return UnsafeBufferPointer(start: f + lo, count: hi - lo)
        }

        /// Field `i` as read (unquoted), surrounding blanks included.
        @inline(__always)
        func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: fields + bounds[i], count: bounds[i + 1] - 1 - bounds[i])
        }

        var raw: String { CSVReader.rawText(record) }
    }

    /// The most bytes of a row kept for the reject file: a row of 50 MB is cut (at a character) and marked with `…`.
    static let rawLimit = 64 << 10

    /// A record's text for a bad row, at most ``rawLimit`` bytes of it.
    static func rawText(_ record: UnsafeBufferPointer<UInt8>) -> String {
        guard record.count > rawLimit else { return String(decoding: record, as: UTF8.self) }
        var end = rawLimit
        while end > 0, record[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: record[..<end]), as: UTF8.self) + "…"
    }

    /// A growable byte buffer whose storage moves only when it grows: one reader's field bytes.
    /// Not `Sendable`: it belongs to the reader that fills it.
    final class ByteStore {
        private(set) var base: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        private(set) var count = 0

        init(capacity: Int = 4096) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }

        func removeAll() { count = 0 }

        @inline(__always)
        func append(_ byte: UInt8) {
            if count == capacity { grow(to: count + 1) }
            base[count] = byte
            count += 1
        }

        func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            if count + bytes.count > capacity { grow(to: count + bytes.count) }
            (base + count).update(from: source, count: bytes.count)
            count += bytes.count
        }

        private func grow(to needed: Int) {
            var size = capacity * 2
            while size < needed { size *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            bigger.update(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity = size
        }
    }

    init(path: String, name: String, encoding: TextEncoding, delimiter: UInt8, required: [String]) throws(SnapshotError) {
        self.name = name
        self.delimiter = delimiter
        byteOrderMark = encoding.byteOrderMark
        if encoding == .gb18030 {
            guard let d = GB18030Decoder() else { throw .noDecoder }
            decoder = d
        } else {
            decoder = nil
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0 { fileSize = Int(info.st_size) }
        buffer = [UInt8](repeating: 0, count: min(CSVReader.chunk, max(fileSize, 4096)) + 1)
        var row = Row()
        var found = false
        var bad: [BadRow] = []
        while nextRecord(into: &row, bad: &bad) {
            if row.record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            found = true
            break
        }
        guard found else { close(fd); throw .emptyFile(path) }
        _ = split(&row)
        header = row.withView { v in (0..<v.count).map { String(decoding: v.field($0), as: UTF8.self).lowercased() } }
        for (i, h) in header.enumerated() where !h.isEmpty {
            if columns[h] != nil { close(fd); throw .duplicateColumn(file: name, column: h) }
            columns[h] = i
        }
        for column in required where columns[column] == nil {
            close(fd)
            throw .missingColumn(file: name, column: column)
        }
    }

    /// Calls `body` with each data row; rows that cannot be split are returned as bad rows. Closes the file.
    mutating func forEachRow(_ body: (View) -> Void) -> [BadRow] {
        defer { close(fd) }
        var bad: [BadRow] = []
        var row = Row()
        while nextRecord(into: &row, bad: &bad) {
            if row.record.isEmpty || row.record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if let problem = split(&row) {
                bad.append(BadRow(file: name, line: row.line, column: problem.column, reason: problem.reason, raw: row.raw))
                continue
            }
            if row.count != header.count {
                let column = row.count < header.count ? header[row.count] : "(row)"
                bad.append(
                    BadRow(
                        file: name, line: row.line, column: column,
                        reason: "row has \(row.count) fields but the header has \(header.count)", raw: row.raw))
                continue
            }
            row.withView(body)
        }
        return bad
    }

    /// Reads the next record into `row.record` (decoded to UTF-8). False at the end of the file.
    private mutating func nextRecord(into row: inout Row, bad: inout [BadRow]) -> Bool {
        while true {
            // Find the end of the record: a LF outside quotes.
            var inQuotes = false
            var newlines = 0
            var end = -1
            let limit = filled
            let found: Bool = buffer.withUnsafeBufferPointer { b in
                // memchr finds each line feed and each quote (vectorised by libc); most records have no quotes.
                guard let base = b.baseAddress else { return false }
                func quotes(_ from: Int, _ to: Int) -> Int {
                    var n = 0
                    var q = from
                    while q < to, let hit = memchr(base + q, 0x22, to - q) {
                        n += 1
                        q = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
                    }
                    return n
                }
                var i = position
                while i < limit {
                    guard let hit = memchr(base + i, 0x0A, limit - i) else {
                        if quotes(i, limit) % 2 == 1 { inQuotes.toggle() }
                        return false
                    }
                    let lf = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                    if quotes(i, lf) % 2 == 1 { inQuotes.toggle() }
                    if !inQuotes { end = lf; return true }
                    newlines += 1
                    i = lf + 1
                }
                return false
            }
            if !found && !atEOF {
                refill()
                continue
            }
            if position >= filled && atEOF { return false }
            let stop = found ? end : filled
            var recordEnd = stop
            if recordEnd > position, buffer[recordEnd - 1] == 0x0D { recordEnd -= 1 }
            row.line = line
            line += newlines + (found ? 1 : 0)
            let start = position
            position = found ? end + 1 : filled
            if !found && inQuotes {
                row.record = Array(buffer[start..<recordEnd])
                bad.append(
                    BadRow(
                        file: name, line: row.line, column: "(row)",
                        reason: "a quoted field is never closed (it runs to the end of the file)", raw: row.raw))
                return false
            }
            if let decoder {
                let slice = buffer[start..<recordEnd]
                do {
                    row.record = try decoder.decode(slice)
                } catch {
                    let index = Self.fieldIndex(in: error.decodedPrefix, delimiter: delimiter)
                    bad.append(
                        BadRow(
                            file: name, line: row.line, column: columnName(index),
                            reason: "bytes that are not valid GB18030",
                            raw: error.decodedPrefix.withUnsafeBufferPointer(Self.rawText)
                                + (error.decodedPrefix.count > Self.rawLimit ? "" : "…")))
                    continue
                }
            } else {
                row.record.removeAll(keepingCapacity: true)
                row.record.append(contentsOf: buffer[start..<recordEnd])
            }
            return true
        }
    }

    /// Moves the unread tail to the front of the buffer and fills the rest from the file (growing the buffer only
    /// for a record longer than it).
    private mutating func refill() {
        let tail = filled - position
        if tail == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        let fd = self.fd
        let start = position
        var got = 0
        buffer.withUnsafeMutableBufferPointer { b in
            if tail > 0 && start > 0 {
                UnsafeMutableRawPointer(b.baseAddress!).copyMemory(from: b.baseAddress! + start, byteCount: tail)
            }
            while tail + got < b.count {
                let n = read(fd, b.baseAddress! + tail + got, b.count - tail - got)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                got += n
            }
        }
        position = 0
        filled = tail + got
        if got == 0 { atEOF = true }
        if first {
            first = false
            let head = buffer[0..<filled]
            if !byteOrderMark.isEmpty, head.starts(with: byteOrderMark) {
                position = byteOrderMark.count
            } else if head.starts(with: [0xEF, 0xBB, 0xBF]) {
                position = 3
            }
        }
    }

    /// Splits `row.record` into unquoted fields; a problem names the column. Each field is followed by one
    /// separator byte in `row.fields`, so field i is `bounds[i] ..< bounds[i + 1] - 1`. A record without quotes (most
    /// of them) is copied once and its delimiters found with `memchr`.
    private func split(_ row: inout Row) -> (column: String, reason: String)? {
        row.fields.removeAll()
        row.bounds.removeAll(keepingCapacity: true)
        row.bounds.append(0)
        let d = delimiter
        var problem: (column: String, reason: String)?
        row.record.withUnsafeBufferPointer { r in
            let n = r.count
            if let rb = r.baseAddress, memchr(rb, 0x22, n) == nil {
                row.fields.append(contentsOf: r)
                row.fields.append(d)
                let fb = UnsafeRawPointer(row.fields.base)
                var i = 0
                while i <= n, let hit = memchr(fb + i, Int32(d), n + 1 - i) {
                    i = UnsafeRawPointer(hit) - fb + 1
                    row.bounds.append(i)
                }
                return
            }
            var i = 0
            while true {
                if i < n, r[i] == 0x22 {
                    i += 1
                    while i < n {
                        if r[i] == 0x22 {
                            if i + 1 < n, r[i + 1] == 0x22 { row.fields.append(0x22); i += 2; continue }
                            break
                        }
                        row.fields.append(r[i])
                        i += 1
                    }
                    i += 1
                    while i < n, r[i] == 0x20 || r[i] == 0x09 || r[i] == 0x0D { i += 1 }
                    row.fields.append(d); row.bounds.append(row.fields.count)
                    if i >= n { return }
                    guard r[i] == d else {
                        problem = (columnName(row.bounds.count - 2), "text follows the closing quote of a quoted field")
                        return
                    }
                    i += 1
                    if i == n { row.fields.append(d); row.bounds.append(row.fields.count); return }
                    continue
                }
                let start = i
                while i < n, r[i] != d { i += 1 }
                row.fields.append(contentsOf: UnsafeBufferPointer(rebasing: r[start..<i]))
                row.fields.append(d); row.bounds.append(row.fields.count)
                if i >= n { return }
                i += 1
                if i == n { row.fields.append(d); row.bounds.append(row.fields.count); return }
            }
        }
        return problem
    }

    func columnName(_ index: Int) -> String {
        index < header.count && !header[index].isEmpty ? header[index] : "(field \(index + 1))"
    }

    /// The index of the field in which a decoded prefix ends, counting delimiters outside quotes.
    static func fieldIndex(in prefix: [UInt8], delimiter: UInt8) -> Int {
        var inQuotes = false
        var index = 0
        for b in prefix {
            if b == 0x22 { inQuotes.toggle() } else if b == delimiter && !inQuotes { index += 1 }
        }
        return index
    }
}
