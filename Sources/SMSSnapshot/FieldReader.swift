import SMSCore

/// Reads typed fields from one CSV row, naming the column when a value breaks its rule.
struct FieldReader {
    struct Problem: Error {
        var column: String
        var reason: String
    }

    let row: CSVTable.Row
    let columns: [String: Int]

    func text(_ column: String) -> String {
        guard let i = columns[column] else { return "" }
        return row.fields[i]
    }

    func optionalText(_ column: String) -> String? {
        let t = text(column)
        return t.isEmpty ? nil : t
    }

    func required(_ column: String) throws(Problem) -> String {
        let t = text(column)
        guard !t.isEmpty else { throw Problem(column: column, reason: "is empty but required") }
        return t
    }

    func msisdn() throws(Problem) -> String {
        let t = try required("msisdn")
        guard let m = Msisdn.normalize(t) else {
            throw Problem(column: "msisdn", reason: "is not a mainland mobile number (11 digits 1[3-9]…, optional +86)")
        }
        return m
    }

    func date(_ column: String) throws(Problem) -> CalendarDate {
        guard let d = CalendarDate(try required(column)) else {
            throw Problem(column: column, reason: "is not a real date in the form YYYY-MM-DD")
        }
        return d
    }

    func optionalDate(_ column: String) throws(Problem) -> CalendarDate? {
        guard optionalText(column) != nil else { return nil }
        return try date(column)
    }

    func month(_ column: String) throws(Problem) -> YearMonth {
        guard let m = YearMonth(try required(column)) else {
            throw Problem(column: column, reason: "is not a month in the form YYYY-MM")
        }
        return m
    }

    func money(_ column: String) throws(Problem) -> Money {
        guard let m = Money(try required(column)) else {
            throw Problem(column: column, reason: "is not an amount in yuan ≥ 0 with at most two decimals")
        }
        return m
    }

    func count(_ column: String) throws(Problem) -> Int {
        let t = try required(column)
        guard t.utf8.count <= 15, t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(t) else {
            throw Problem(column: column, reason: "is not a whole number ≥ 0")
        }
        return n
    }

    func flag(_ column: String) throws(Problem) -> Bool {
        switch try required(column) {
        case "0": return false
        case "1": return true
        default: throw Problem(column: column, reason: "must be 0 or 1")
        }
    }

    func choice<T>(_ column: String, _ parse: (String) -> T?, expected: String) throws(Problem) -> T {
        guard let v = parse(try required(column)) else {
            throw Problem(column: column, reason: "must be one of \(expected)")
        }
        return v
    }
}
