/// Splits CSV bytes into records (RFC 4180: quoted fields may hold delimiters, quotes and line breaks).
///
/// Works on bytes so that it serves UTF-8 and GB18030 alike: in both, the quote, CR and LF bytes never occur
/// inside a multi-byte character. The delimiter may (GBK trail bytes include `|`), so fields are split only
/// after a record is decoded to UTF-8.
struct CSVScanner {
    struct Record {
        /// 1-based line on which the record starts.
        var line: Int
        /// The record without its line terminator.
        var bytes: ArraySlice<UInt8>
        /// The record ended inside a quoted field at the end of the file.
        var unterminated: Bool
    }

    private let bytes: [UInt8]
    private var position: Int
    private var line = 1

    init(bytes: [UInt8], skippingPrefix prefix: [UInt8] = []) {
        self.bytes = bytes
        position = (!prefix.isEmpty && bytes.starts(with: prefix)) ? prefix.count : 0
    }

    mutating func next() -> Record? {
        guard position < bytes.count else { return nil }
        let start = position
        let startLine = line
        var inQuotes = false
        var end = bytes.count
        var i = position
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 {
                inQuotes.toggle()
            } else if b == 0x0A {
                line += 1
                if !inQuotes {
                    end = i
                    break
                }
            }
            i += 1
        }
        position = min(i + 1, bytes.count)
        if i >= bytes.count { position = bytes.count }
        var stop = end
        if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
        return Record(line: startLine, bytes: bytes[start..<stop], unterminated: inQuotes)
    }
}

/// Splits one decoded (UTF-8) record into fields.
enum FieldSplitter {
    enum Failure: Error, Equatable {
        /// A closing quote is followed by something other than the delimiter; the field index is given.
        case textAfterQuote(field: Int)
    }

    static func split(_ record: ArraySlice<UInt8>, delimiter: UInt8) throws(Failure) -> [ArraySlice<UInt8>] {
        var fields: [ArraySlice<UInt8>] = []
        var i = record.startIndex
        let end = record.endIndex
        while true {
            if i < end, record[i] == 0x22 {
                // Quoted field: "" is an escaped quote.
                var value: [UInt8] = []
                i += 1
                while i < end {
                    if record[i] == 0x22 {
                        if i + 1 < end, record[i + 1] == 0x22 {
                            value.append(0x22)
                            i += 2
                            continue
                        }
                        break
                    }
                    value.append(record[i])
                    i += 1
                }
                i += 1 // the closing quote
                fields.append(value[...])
                if i < end {
                    // Tolerate spaces after the closing quote.
                    while i < end, record[i] == 0x20 || record[i] == 0x09 { i += 1 }
                    guard i < end, record[i] == delimiter else { throw .textAfterQuote(field: fields.count - 1) }
                    i += 1
                    if i == end { fields.append([]); break }
                    continue
                }
                break
            }
            var j = i
            while j < end, record[j] != delimiter { j += 1 }
            fields.append(record[i..<j])
            if j >= end { break }
            i = j + 1
            if i == end { fields.append([]); break }
        }
        return fields
    }
}
