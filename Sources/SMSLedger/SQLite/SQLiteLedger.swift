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
    public static let schemaVersion = 5

    let db: SQLiteDatabase
    public let path: String
    public var location: String { path }
    /// The rules whose names the ledger reads back (a name of no rule there stops the reading, exit 78).
    public let registry: RuleRegistry

    /// Opens (and creates, owner-only, when `readOnly` is false) the ledger at `path`.
    public init(path: String, readOnly: Bool = false, registry: RuleRegistry = .standard) throws(LedgerError) {
        self.path = path
        self.registry = registry
        if !readOnly {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd < 0 {
                let reason = String(cString: strerror(errno))
                throw LedgerError(
                    errno == EACCES || errno == EROFS ? .readOnly : .cannotOpen,
                    "ledger \(path) cannot be opened for writing (\(reason))")
            }
            close(fd)
        }
        do {
            if readOnly { try SQLiteLedger.upgradeIfOlder(path: path) }
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
            return LedgerError(
                .readOnly, "ledger \(path) is read-only or its folder is not writable (\(error.message)); smsbatch must record what it sends")
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

    /// The schema version recorded in the file; 0 when it holds no smsbatch ledger.
    private static func version(of db: SQLiteDatabase) throws -> Int {
        let hasMeta = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'").rows { $0.int(0) }.first ?? 0
        guard hasMeta > 0 else { return 0 }
        return try db.prepare("SELECT value FROM meta WHERE name='schema_version'").rows { $0.text(0) }.first.flatMap { $0.flatMap { Int($0) } } ?? 0
    }

    private func checkVersion(creating: Bool) throws {
        let version = try SQLiteLedger.version(of: db)
        if version == 0 {
            guard creating else { throw LedgerError(.cannotOpen, "\(path) holds no smsbatch ledger yet") }
            try db.transaction {
                try db.execute(SQLiteLedger.schema)
                try db.prepare("INSERT INTO meta(name, value) VALUES ('schema_version', ?)").run([.text(String(SQLiteLedger.schemaVersion))])
            }
            return
        }
        if version > SQLiteLedger.schemaVersion {
            throw LedgerError(
                .newerVersion,
                "ledger \(path) was written by a newer smsbatch (schema \(version); this one knows \(SQLiteLedger.schemaVersion)); upgrade smsbatch rather than risk it"
            )
        }
        if version < SQLiteLedger.schemaVersion {
            guard creating else {
                throw LedgerError(
                    .busy,
                    "ledger \(path) has schema \(version) and another run holds it; it is upgraded to schema \(SQLiteLedger.schemaVersion) by the next run or send"
                )
            }
            try db.transaction {
                for (target, script) in SQLiteLedger.migrations where target > version {
                    try db.execute(script)
                    try db.prepare("UPDATE meta SET value = ? WHERE name = 'schema_version'").run([.text(String(target))])
                }
            }
        }
    }

    /// A reader (dry run, status) that finds an older schema upgrades it first when no run holds the ledger.
    private static func upgradeIfOlder(path: String) throws {
        let reader = try SQLiteDatabase(path: path, readOnly: true)
        let version = try version(of: reader)
        guard version > 0, version < schemaVersion else { return }
        guard let lock = try LedgerLock(ledgerPath: path) else { return }
        _ = try SQLiteLedger(path: path)
        withExtendedLifetime(lock) {}
    }

    /// Schema 2. Messages keep what delivery changes (state, attempts, days, replies) in narrow rows, and what never
    /// changes once planned (id, text, keys) in `bodies`, so marking and settling a batch rewrites little; item keys
    /// point at a message's `seq`. The state index holds only messages not settled yet (queries name its condition
    /// so SQLite can use it), so it stays small however long the history grows.
    static let schema = """
        CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE messages(
            seq INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            msisdn TEXT NOT NULL,
            state TEXT NOT NULL,
            due_day TEXT NOT NULL,
            expires_day TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            sent_day TEXT,
            gateway_message_id TEXT,
            reply_status INTEGER,
            last_error TEXT
        );
        CREATE INDEX messages_unsettled ON messages(state, due_day) WHERE state IN ('queued','deferred','sending');
        CREATE INDEX messages_sent_day ON messages(sent_day) WHERE sent_day IS NOT NULL;
        CREATE TABLE bodies(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            plan_day TEXT NOT NULL,
            brand TEXT NOT NULL,
            template TEXT NOT NULL,
            stars INTEGER NOT NULL,
            text TEXT NOT NULL,
            units INTEGER NOT NULL,
            segments INTEGER NOT NULL,
            keys TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE items(key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
        """ + operatorActions + approvalsAndReceipts + segments

    /// Schema 4: the approval gate (a message's plan, approvals of plan digests) and delivery receipts.
    static let approvalsAndReceipts = """

        ALTER TABLE messages ADD COLUMN plan TEXT;
        ALTER TABLE messages ADD COLUMN delivery TEXT;
        ALTER TABLE messages ADD COLUMN delivery_code TEXT;
        ALTER TABLE messages ADD COLUMN delivery_at TEXT;
        CREATE INDEX messages_awaiting ON messages(plan) WHERE state = 'awaiting';
        CREATE INDEX messages_gateway_id ON messages(gateway_message_id) WHERE gateway_message_id IS NOT NULL;
        CREATE TABLE approvals(digest TEXT PRIMARY KEY, by_name TEXT NOT NULL, at TEXT NOT NULL, note TEXT,
            messages INTEGER NOT NULL DEFAULT 0, used_at TEXT);
        """

    /// Schema 5: the segments of messages sent over CMPP, by the centre's Msg_Id, with each one's status report.
    static let segments = """

        CREATE TABLE segments(msg_id TEXT NOT NULL, seq INTEGER NOT NULL, part INTEGER NOT NULL, code TEXT, at TEXT,
                              PRIMARY KEY (msg_id, seq));
        CREATE INDEX segments_seq ON segments(seq);
        """

    /// Schema 3: who released or dropped a held message, and when.
    static let operatorActions = """

        CREATE TABLE operator_actions(at TEXT NOT NULL, by_name TEXT NOT NULL, action TEXT NOT NULL, message_id TEXT NOT NULL, note TEXT);
        CREATE INDEX messages_held ON messages(seq) WHERE state = 'held';
        """

    /// Scripts that bring a ledger from the version before each target to the target.
    static let migrations: [(Int, String)] = [
        (
            2,
            """
            CREATE TABLE bodies(
                seq INTEGER PRIMARY KEY, id TEXT NOT NULL, plan_day TEXT NOT NULL, brand TEXT NOT NULL, template TEXT NOT NULL,
                stars INTEGER NOT NULL, text TEXT NOT NULL, units INTEGER NOT NULL, segments INTEGER NOT NULL, keys TEXT NOT NULL,
                created_at TEXT NOT NULL);
            INSERT INTO bodies SELECT seq, id, plan_day, brand, template, stars, text, units, segments, keys, created_at FROM messages;
            CREATE TABLE messages2(
                seq INTEGER PRIMARY KEY, rule TEXT NOT NULL, msisdn TEXT NOT NULL, state TEXT NOT NULL, due_day TEXT NOT NULL,
                expires_day TEXT, attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL, sent_at TEXT, sent_day TEXT,
                gateway_message_id TEXT, reply_status INTEGER, last_error TEXT);
            INSERT INTO messages2 SELECT seq, rule, msisdn, state, due_day, expires_day, attempts, updated_at, sent_at, sent_day,
                gateway_message_id, reply_status, last_error FROM messages;
            CREATE TABLE items2(key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO items2 SELECT i.key, m.seq FROM items i JOIN messages m ON m.id = i.message_id;
            DROP TABLE items;
            DROP TABLE messages;
            ALTER TABLE messages2 RENAME TO messages;
            ALTER TABLE items2 RENAME TO items;
            CREATE INDEX messages_unsettled ON messages(state, due_day) WHERE state IN ('queued','deferred','sending');
            CREATE INDEX messages_sent_day ON messages(sent_day) WHERE sent_day IS NOT NULL;
            """
        ),
        (3, operatorActions),
        (4, approvalsAndReceipts),
        (5, segments),
    ]
}
