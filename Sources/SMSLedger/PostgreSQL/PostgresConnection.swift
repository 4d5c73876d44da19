import CPostgreSQL

#if canImport(Glibc)
    import Glibc
#endif

/// One libpq connection: parameterised statements in text format, transactions, errors with their SQLSTATE.
///
/// Not `Sendable`: one connection belongs to one thread of work.
final class PostgresConnection {
    struct Failure: Error, CustomStringConvertible {
        /// The five-character SQLSTATE, when the server sent one.
        var sqlState: String?
        var message: String
        var description: String { message }

        /// Deadlocks and serialisation failures: the transaction may simply be run again.
        var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }
    }

    /// Rows of a result, as text (`nil` for SQL NULL).
    struct Rows {
        var values: [[String?]]
        var count: Int { values.count }
        subscript(row: Int, column: Int) -> String? { values[row][column] }
        func int(_ row: Int, _ column: Int) -> Int { values[row][column].flatMap { Int($0) } ?? 0 }
    }

    private let handle: OpaquePointer

    /// Connects with a `postgres://` URL or a `key=value` connection string (libpq reads PGPASSWORD, ~/.pgpass).
    init(_ conninfo: String) throws(Failure) {
        guard let conn = PQconnectdb(conninfo) else { throw Failure(sqlState: nil, message: "out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingNewlines()
            PQfinish(conn)
            throw Failure(sqlState: nil, message: message)
        }
        handle = conn
        cpq_silence_notices(conn)
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with `$1…$n` parameters; returns its rows (empty for commands).
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws(Failure) -> Rows {
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for c in copies { free(c) } }
        let result: OpaquePointer? = copies.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(handle, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        guard let result else { throw Failure(sqlState: nil, message: String(cString: PQerrorMessage(handle)).trimmingNewlines()) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Rows(values: [])
        case PGRES_TUPLES_OK:
            let rows = Int(PQntuples(result)), columns = Int(PQnfields(result))
            var values: [[String?]] = []
            values.reserveCapacity(rows)
            for r in 0..<rows {
                var row: [String?] = []
                row.reserveCapacity(columns)
                for c in 0..<columns {
                    row.append(PQgetisnull(result, Int32(r), Int32(c)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
                values.append(row)
            }
            return Rows(values: values)
        default:
            let state = PQresultErrorField(result, cpq_diag_sqlstate()).map { String(cString: $0) }
            throw Failure(sqlState: state, message: String(cString: PQresultErrorMessage(result)).trimmingNewlines())
        }
    }

    /// Runs a script of several statements without parameters (schema migrations).
    func execute(script: String) throws(Failure) {
        guard let result = PQexec(handle, script) else {
            throw Failure(sqlState: nil, message: String(cString: PQerrorMessage(handle)).trimmingNewlines())
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            let state = PQresultErrorField(result, cpq_diag_sqlstate()).map { String(cString: $0) }
            throw Failure(sqlState: state, message: String(cString: PQresultErrorMessage(result)).trimmingNewlines())
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. A deadlock or
    /// serialisation failure runs the whole transaction again (a few times).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            try query("BEGIN")
            do {
                let value = try body()
                try query("COMMIT")
                return value
            } catch {
                _ = try? query("ROLLBACK")
                if let failure = error as? Failure, failure.isRetryable, attempt < 5 { continue }
                throw error
            }
        }
    }
}

extension String {
    func trimmingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Text-format PostgreSQL arrays for `= ANY($1)` and `unnest($1)` parameters.
enum PostgresArray {
    /// `{"a","b\"c"}`: every element quoted, `"` and `\` escaped; `nil` is NULL.
    static func literal(_ elements: some Sequence<String?>) -> String {
        var out = "{"
        var first = true
        for element in elements {
            if !first { out += "," }
            first = false
            guard let element else { out += "NULL"; continue }
            out += "\""
            for ch in element.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }

    static func literal(_ elements: some Sequence<String>) -> String { literal(elements.map { Optional($0) }) }

    static func literal(_ elements: some Sequence<Int>) -> String {
        "{" + elements.map(String.init).joined(separator: ",") + "}"
    }
}
