import SMSCore

extension SnapshotLoader {
    /// Reads a rule's table (``SnapshotTableDescription``) the way the core files are read: every named column checked
    /// by its kind and the field limits, repeated keys and orphans found, the record made by the rule. Secret columns
    /// are masked in a bad row's copy for the reject file.
    func readTable<T: SnapshotTableDescription>(_ table: T, _ directory: String, _ positions: UInt64Map,
                                                 subscribers: Int, into builder: inout SnapshotBuilder,
                                                 report: inout LoadReport) throws(SnapshotError) {
        typealias Column = FieldParser.Column
        let names = table.columns.map(\.name)
        guard var reader = try reader(directory, table.file, required: names, optional: table.optional) else { return }
        let c = reader.columns
        let columns = table.columns.map { (Column($0.name, in: c), $0.kind) }
        let texts = Set(table.columns.filter { $0.kind == .text }.map(\.name))
        let choices = table.columns.map { column -> FieldParser.Choices<String>? in
            guard case let .choice(words) = column.kind else { return nil }
            return FieldParser.Choices(words.map { ($0, $0) })
        }
        let keyColumns = table.key.map { Column($0, in: c) }
        let secret = table.secret.compactMap { c[$0] }
        var finder = PositionFinder(positions: positions, numbers: [])
        var interner = Interner()
        var seen = Set<[UInt8]>()
        var rowPositions: [Int32] = []
        var rows: [T.Row] = []
        var part = LoadReport()
        read(&reader, FieldLimits(columns: c, named: names, text: texts), into: &part, secret: secret) { (r: FieldParser) throws(FieldParser.Problem) -> RowOutcome in
            var values: [TableRow.Value] = []
            values.reserveCapacity(columns.count)
            var number: UInt64 = 0
            for (i, (column, kind)) in columns.enumerated() {
                switch kind {
                case .msisdn:
                    let (m, n) = try r.msisdn(column)
                    number = n
                    values.append(.text(m))
                case .text:
                    values.append(.text(try r.text(column, &interner)))
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
            var key = withUnsafeBytes(of: number) { Array($0) }
            for column in keyColumns {
                key.append(0)
                key += r.bytes(column)
            }
            guard seen.insert(key).inserted else {
                throw FieldParser.Problem(column: (["msisdn"] + table.key).joined(separator: ", "),
                                          reason: "repeats a primary key (\((["msisdn"] + table.key).joined(separator: ", "))) already seen in an earlier row")
            }
            guard let position = finder.position(of: number) else { return .orphan }
            rowPositions.append(position)
            rows.append(record)
            return .kept
        }
        report.badRows += part.badRows
        report.orphans.merge(part.orphans, uniquingKeysWith: +)
        report.rowsRead.merge(part.rowsRead, uniquingKeysWith: +)
        builder.setTable(table, rows: GroupedRows(positions: rowPositions, rows: rows, groups: subscribers))
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
