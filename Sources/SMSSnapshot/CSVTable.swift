/// A CSV file read into header-mapped rows, with undecodable or malformed rows reported as bad rows.
struct CSVTable {
    struct Row {
        var line: Int
        var fields: [String]
        var raw: String
    }

    /// The file name used in messages, e.g. `subscribers.csv`.
    let name: String
    /// Column index by lower-cased header name.
    let columns: [String: Int]
    let header: [String]
    var rows: [Row] = []
    var bad: [BadRow] = []

    init(bytes: [UInt8], name: String, encoding: TextEncoding, delimiter: UInt8, required: [String]) throws(SnapshotError) {
        self.name = name
        let decoder: GB18030Decoder?
        if encoding == .gb18030 {
            guard let d = GB18030Decoder() else { throw .noDecoder }
            decoder = d
        } else {
            decoder = nil
        }
        var scanner = CSVScanner(bytes: bytes, skippingPrefix: encoding.byteOrderMark)
        var headerRecord: CSVScanner.Record?
        while let record = scanner.next() {
            if record.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            headerRecord = record
            break
        }
        guard let headerRecord else { throw .emptyFile(name) }
        let headerBytes = (try? decoder?.decode(headerRecord.bytes)) ?? Array(headerRecord.bytes)
        let headerFields = (try? FieldSplitter.split(headerBytes[...], delimiter: delimiter)) ?? []
        header = headerFields.map { String(decoding: $0, as: UTF8.self).trimmingSpaces().lowercased() }
        var columns: [String: Int] = [:]
        for (i, h) in header.enumerated() where !h.isEmpty {
            if columns[h] != nil { throw .duplicateColumn(file: name, column: h) }
            columns[h] = i
        }
        self.columns = columns
        for column in required where columns[column] == nil {
            throw .missingColumn(file: name, column: column)
        }
        while let record = scanner.next() {
            if record.bytes.isEmpty || record.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            read(record, decoder: decoder, delimiter: delimiter)
        }
    }

    private mutating func read(_ record: CSVScanner.Record, decoder: GB18030Decoder?, delimiter: UInt8) {
        var utf8: [UInt8]
        if let decoder {
            do {
                utf8 = try decoder.decode(record.bytes)
            } catch {
                let column = columnName(at: fieldIndex(in: error.decodedPrefix, delimiter: delimiter))
                bad.append(BadRow(file: name, line: record.line, column: column,
                                  reason: "bytes that are not valid GB18030",
                                  raw: String(decoding: error.decodedPrefix, as: UTF8.self) + "…"))
                return
            }
        } else {
            utf8 = Array(record.bytes)
        }
        let raw = String(decoding: utf8, as: UTF8.self)
        if record.unterminated {
            bad.append(BadRow(file: name, line: record.line, column: "(row)",
                              reason: "a quoted field is never closed (it runs to the end of the file)", raw: raw))
            return
        }
        let parts: [ArraySlice<UInt8>]
        do {
            parts = try FieldSplitter.split(utf8[...], delimiter: delimiter)
        } catch {
            guard case let .textAfterQuote(field) = error else { return }
            bad.append(BadRow(file: name, line: record.line, column: columnName(at: field),
                              reason: "text follows the closing quote of a quoted field", raw: raw))
            return
        }
        if parts.count != header.count {
            let column = parts.count < header.count ? header[parts.count] : "(row)"
            bad.append(BadRow(file: name, line: record.line, column: column,
                              reason: "row has \(parts.count) fields but the header has \(header.count)", raw: raw))
            return
        }
        var fields: [String] = []
        fields.reserveCapacity(parts.count)
        for (i, part) in parts.enumerated() {
            guard let text = String(validating: part, as: UTF8.self) else {
                bad.append(BadRow(file: name, line: record.line, column: columnName(at: i),
                                  reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)",
                                  raw: raw))
                return
            }
            fields.append(text.trimmingSpaces())
        }
        rows.append(Row(line: record.line, fields: fields, raw: raw))
    }

    private func columnName(at index: Int) -> String {
        index < header.count && !header[index].isEmpty ? header[index] : "(field \(index + 1))"
    }

    /// The index of the field in which a decoded prefix ends, counting delimiters outside quotes.
    private func fieldIndex(in prefix: [UInt8], delimiter: UInt8) -> Int {
        var inQuotes = false
        var index = 0
        for b in prefix {
            if b == 0x22 { inQuotes.toggle() } else if b == delimiter && !inQuotes { index += 1 }
        }
        return index
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
