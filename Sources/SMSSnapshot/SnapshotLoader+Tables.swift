import SMSCore

extension SnapshotLoader {
    /// A rule's table as read: what to add to the snapshot, and the file's counts and bad rows.
    struct TablePart: Sendable {
        var add: @Sendable (inout SnapshotBuilder) -> Void
        var report = LoadReport()
    }

    /// Reads a rule's table (``SnapshotTableDescription``) the way the core files are read: every named column checked
    /// by its kind and the field limits, repeated keys and orphans found, the record made by the rule. Secret columns
    /// are masked in a bad row's copy for the reject file.
    ///
    /// Per row it allocates only what the record keeps: values go into a reused buffer, short texts are made in place
    /// (at most 15 bytes live inside a `String`), longer ones are interned, and a repeated key is found among the
    /// subscriber's own keys by a 64-bit hash of its bytes.
    func readTable<T: SnapshotTableDescription>(_ table: T, _ directory: String, _ finder: PositionFinder) throws(SnapshotError) -> TablePart? {
        typealias Column = FieldParser.Column
        let names = table.columns.map(\.name)
        guard var reader = try reader(directory, table.file, required: names, optional: table.optional) else { return nil }
        let c = reader.columns
        let columns = table.columns.map { (Column($0.name, in: c), $0.kind) }
        let texts = Set(table.columns.filter { $0.kind == .text }.map(\.name))
        let choices = table.columns.map { column -> FieldParser.Choices<String>? in
            guard case let .choice(words) = column.kind else { return nil }
            return FieldParser.Choices(words.map { ($0, $0) })
        }
        let keyColumns = table.key.map { Column($0, in: c) }
        let keyName = (["msisdn"] + table.key).joined(separator: ", ")
        let secret = table.secret.compactMap { c[$0] }
        var finder = finder
        var interner = Interner()
        var keys = KeysBySubscriber(subscribers: finder.numbers.count, rows: reader.fileSize / 64)
        var rowPositions: [Int32] = []
        var rows: [T.Row] = []
        var values: [TableRow.Value] = []
        var part = LoadReport()
        read(&reader, FieldLimits(columns: c, named: names, text: texts), into: &part, secret: secret) {
            (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            values.removeAll(keepingCapacity: true)
            var number: UInt64 = 0
            for (i, (column, kind)) in columns.enumerated() {
                switch kind {
                case .msisdn:
                    let (m, n) = try r.msisdn(column)
                    number = n
                    values.append(.text(m))
                case .text:
                    let b = try r.required(column)
                    guard let s = b.count <= 15 ? String(validating: b, as: UTF8.self) : interner.string(b)?.string else {
                        throw FieldParser.Problem(
                            column: column.name, reason: "bytes that are not valid UTF-8 (is the file GB18030? use --encoding gb18030)")
                    }
                    values.append(.text(s))
                case let .identifier(maxLength):
                    let b = try r.required(column)
                    guard b.count <= maxLength, b.allSatisfy({ FieldParser.isIdentifierByte($0) }) else {
                        throw FieldParser.Problem(column: column.name, reason: "must be 1–\(maxLength) of A–Z, a–z, 0–9, _ and -")
                    }
                    values.append(.text(String(decoding: b, as: UTF8.self)))
                case .money:
                    values.append(.money(try r.money(column)))
                case .date:
                    values.append(.date(try r.date(column)))
                case .count:
                    values.append(.count(try r.count(column)))
                case let .choice(words):
                    values.append(.text(try r.choice(column, choices[i]!, expected: words.joined(separator: ", "))))
                }
            }
            let record = try Self.record(table, TableRow(names: names, values: values, line: r.row.line))
            // FNV-1a over the key columns' bytes (a 0 between them), kept odd so that it is never the empty slot.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for column in keyColumns {
                for b in r.bytes(column) { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
                hash = (hash ^ 0xFF) &* 0x100_0000_01b3
            }
            let position = finder.position(of: number)
            guard keys.insert(hash | 1, number: number, at: position) else {
                throw FieldParser.Problem(column: keyName, reason: "repeats a primary key (\(keyName)) already seen in an earlier row")
            }
            guard let position else { return .orphan }
            rowPositions.append(position)
            rows.append(record)
            return .kept
        }
        let grouped = GroupedRows(positions: rowPositions, rows: rows, groups: finder.numbers.count)
        return TablePart(add: { $0.setTable(table, rows: grouped) }, report: part)
    }

    private static func record<T: SnapshotTableDescription>(_ table: T, _ row: TableRow) throws(FieldParser.Problem) -> T.Row {
        do {
            return try table.record(row)
        } catch {
            throw FieldParser.Problem(column: error.column, reason: error.reason)
        }
    }
}

extension FieldParser {
    /// `[A-Za-z0-9_-]`.
    static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }
}
