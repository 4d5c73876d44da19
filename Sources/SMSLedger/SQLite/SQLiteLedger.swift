import CSQLite
import SMSCore
#if canImport(Glibc)
import Glibc
#endif

/// The ledger in one SQLite file: every item key once, every message with its delivery state (SPEC §5).
///
/// One process writes at a time (the caller holds ``LedgerLock``); readers such as a dry run may open it read-only.
public final class SQLiteLedger: Ledger {
    /// The schema this build writes.
    public static let schemaVersion = 1

    let db: SQLiteDatabase
    public let path: String
    public var location: String { path }

    /// Opens (and creates, owner-only, when `readOnly` is false) the ledger at `path`.
    public init(path: String, readOnly: Bool = false) throws(LedgerError) {
        self.path = path
        if !readOnly {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd < 0 {
                let reason = String(cString: strerror(errno))
                throw LedgerError(errno == EACCES || errno == EROFS ? .readOnly : .cannotOpen,
                                  "ledger \(path) cannot be opened for writing (\(reason))")
            }
            close(fd)
        }
        do {
            db = try SQLiteDatabase(path: path, readOnly: readOnly)
            if readOnly {
                try checkVersion(creating: false)
            } else {
                try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=20000; PRAGMA cache_size=-65536")
                try checkVersion(creating: true)
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteDatabase.Failure {
            throw SQLiteLedger.wrap(error, path: path)
        } catch {
            throw LedgerError(.failed, "ledger \(path): \(error)")
        }
    }

    static func wrap(_ error: SQLiteDatabase.Failure, path: String) -> LedgerError {
        if error.isReadOnly {
            return LedgerError(.readOnly, "ledger \(path) is read-only or its folder is not writable (\(error.message)); smsbatch must record what it sends")
        }
        if error.isBusy { return LedgerError(.busy, "ledger \(path) is busy (\(error.message))") }
        if error.code == SQLITE_NOTADB { return LedgerError(.cannotOpen, "\(path) is not an smsbatch ledger (not an SQLite database)") }
        if error.code == SQLITE_FULL { return LedgerError(.failed, "ledger \(path): the disk is full") }
        return LedgerError(.failed, "ledger \(path): \(error.description)")
    }

    /// Runs a ledger operation, turning SQLite failures into ``LedgerError``.
    func guarded<T>(_ body: () throws -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch let error as SQLiteDatabase.Failure {
            throw SQLiteLedger.wrap(error, path: path)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.failed, "ledger \(path): \(error)")
        }
    }

    private func checkVersion(creating: Bool) throws {
        let hasMeta = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'").rows { $0.int(0) }.first ?? 0
        if hasMeta == 0 {
            guard creating else { throw LedgerError(.cannotOpen, "\(path) holds no smsbatch ledger yet") }
            try db.transaction {
                try db.execute(SQLiteLedger.schema)
                try db.prepare("INSERT INTO meta(name, value) VALUES ('schema_version', ?)").run([.text(String(SQLiteLedger.schemaVersion))])
            }
            return
        }
        let version = try db.prepare("SELECT value FROM meta WHERE name='schema_version'").rows { $0.text(0) }.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        if version > SQLiteLedger.schemaVersion {
            throw LedgerError(.newerVersion, "ledger \(path) was written by a newer smsbatch (schema \(version); this one knows \(SQLiteLedger.schemaVersion)); upgrade smsbatch rather than risk it")
        }
    }

    static let schema = """
    CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE messages(
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        plan_day TEXT NOT NULL,
        rule TEXT NOT NULL,
        msisdn TEXT NOT NULL,
        brand TEXT NOT NULL,
        template TEXT NOT NULL,
        stars INTEGER NOT NULL,
        text TEXT NOT NULL,
        units INTEGER NOT NULL,
        segments INTEGER NOT NULL,
        keys TEXT NOT NULL,
        state TEXT NOT NULL,
        due_day TEXT NOT NULL,
        expires_day TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        sent_day TEXT,
        gateway_message_id TEXT,
        reply_status INTEGER,
        last_error TEXT
    );
    CREATE INDEX messages_state ON messages(state, due_day);
    CREATE INDEX messages_sent_day ON messages(sent_day);
    CREATE TABLE items(key TEXT PRIMARY KEY, message_id TEXT NOT NULL REFERENCES messages(id)) WITHOUT ROWID;
    """
}
