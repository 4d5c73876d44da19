import CSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// A small wrapper of one SQLite connection: statements, transactions, errors with the SQL that failed.
///
/// Not `Sendable`: one connection belongs to one thread of work.
final class SQLiteDatabase {
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var message: String
        var sql: String?
        var description: String {
            sql.map { "\(message) (while running: \($0.prefix(80)))" } ?? message
        }
        var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
        var isReadOnly: Bool { code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM }
    }

    let handle: OpaquePointer
    let path: String

    init(path: String, readOnly: Bool = false) throws(Failure) {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw Failure(code: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws(Failure) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(error)
            throw Failure(code: rc, message: message, sql: sql)
        }
    }

    /// Statements prepared once per connection and reused (settling a reply at a time runs the same few
    /// statements thousands of times a second).
    private var statements: [String: Statement] = [:]

    /// The statement for `sql`, prepared on first use and reused after.
    func prepare(_ sql: String) throws(Failure) -> Statement {
        if let cached = statements[sql] { return cached }
        let statement = try compile(sql)
        statements[sql] = statement
        return statement
    }

    private func compile(_ sql: String) throws(Failure) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw failure(rc, sql) }
        return Statement(handle: stmt, database: self, sql: sql)
    }

    /// Runs `body` in an immediate transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    func failure(_ rc: Int32, _ sql: String?) -> Failure {
        Failure(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// A prepared statement; bind with 1-based indexes, step, read columns with 0-based indexes.
    final class Statement {
        let handle: OpaquePointer
        unowned let database: SQLiteDatabase
        let sql: String

        init(handle: OpaquePointer, database: SQLiteDatabase, sql: String) {
            self.handle = handle
            self.database = database
            self.sql = sql
        }

        deinit { sqlite3_finalize(handle) }

        @discardableResult
        func bind(_ values: [SQLValue]) -> Statement {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            for (i, v) in values.enumerated() {
                let index = Int32(i + 1)
                switch v {
                case .null: sqlite3_bind_null(handle, index)
                case let .int(n): sqlite3_bind_int64(handle, index, Int64(n))
                case var .text(s):
                    // With its length, never up to a NUL: a key or text holding one is stored whole.
                    _ = s.withUTF8 { b in
                        b.withMemoryRebound(to: CChar.self) { c in
                            if let base = c.baseAddress {
                                sqlite3_bind_text(handle, index, base, Int32(c.count), csqlite_transient())
                            } else {
                                sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                            }
                        }
                    }
                }
            }
            return self
        }

        /// Steps once: true when a row is ready.
        /// Statements are reused: one that is done or failed is reset at once, so it holds no read transaction open.
        func step() throws(Failure) -> Bool {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_ROW { return true }
            let failure = rc == SQLITE_DONE ? nil : database.failure(rc, sql)
            sqlite3_reset(handle)
            if let failure { throw failure }
            return false
        }

        /// Binds, runs to completion, and resets.
        func run(_ values: [SQLValue] = []) throws(Failure) {
            bind(values)
            while try step() {}
            sqlite3_reset(handle)
        }

        /// Binds and collects every row with `row`.
        func rows<T>(_ values: [SQLValue] = [], _ row: (Statement) -> T) throws(Failure) -> [T] {
            bind(values)
            var out: [T] = []
            while try step() { out.append(row(self)) }
            sqlite3_reset(handle)
            return out
        }

        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

        func text(_ column: Int32) -> String? {
            guard let p = sqlite3_column_text(handle, column) else { return nil }
            let n = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        }

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    }
}

enum SQLValue {
    case null
    case int(Int)
    case text(String)
}

extension Optional where Wrapped == String {
    var sql: SQLValue { map(SQLValue.text) ?? .null }
}
