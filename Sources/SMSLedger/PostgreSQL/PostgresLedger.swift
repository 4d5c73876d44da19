import SMSCore

/// The ledger in a PostgreSQL database, shared by any number of planners and senders at once (issue #7).
///
/// Keys are unique by constraint; a sender claims a batch with `FOR UPDATE SKIP LOCKED` under a transaction-scoped
/// advisory lock, decides the quotas inside that transaction, and marks the batch `sending` with its name and a
/// lease. A sender that dies leaves leases that run out; the next claim puts those messages back in the queue.
/// Everything lives in the schema `smsbatch`, which smsbatch creates and migrates itself.
public final class PostgresLedger: Ledger {
    /// The schema version this build writes.
    public static let schemaVersion = 4

    let connection: PostgresConnection
    /// The URL without its password.
    public let location: String
    /// The rules whose names the ledger reads back (a name of no rule there stops the reading, exit 78).
    public let registry: RuleRegistry
    /// False when the database holds no smsbatch schema yet and the ledger was opened without creating it.
    let exists: Bool

    /// Connects to `url` (`postgres://user@host:port/db`; the password from the URL, PGPASSWORD or ~/.pgpass) and,
    /// when `migrating`, creates or upgrades the schema. Without `migrating`, a database without the schema reads
    /// as an empty ledger.
    public init(url: String, migrating: Bool = true, registry: RuleRegistry = .standard) throws(LedgerError) {
        self.registry = registry
        location = LedgerLocation.redacted(url)
        do {
            connection = try PostgresConnection(url)
        } catch {
            throw LedgerError(.cannotOpen, "cannot connect to the ledger \(location): \(error.message)")
        }
        do {
            exists = try migrating ? PostgresLedger.migrate(connection, location: location) : PostgresLedger.check(connection, location: location)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw PostgresLedger.wrap(error, location: location)
        }
    }

    static func wrap(_ error: any Error, location: String) -> LedgerError {
        if let failure = error as? PostgresConnection.Failure {
            if failure.sqlState == "42501" {
                return LedgerError(.readOnly, "ledger \(location): permission denied (\(failure.message)); smsbatch must record what it sends")
            }
            if failure.sqlState?.hasPrefix("08") == true || failure.sqlState == "57P01" {
                return LedgerError(.failed, "ledger \(location): the connection to the server was lost (\(failure.message))")
            }
            return LedgerError(.failed, "ledger \(location): \(failure.message)")
        }
        if let error = error as? LedgerError { return error }
        return LedgerError(.failed, "ledger \(location): \(error)")
    }

    /// Runs a ledger operation, turning PostgreSQL failures into ``LedgerError``.
    func guarded<T>(_ body: () throws -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch {
            throw PostgresLedger.wrap(error, location: location)
        }
    }

    /// The schema version in the database, or `nil` when it holds no smsbatch schema.
    private static func installedVersion(_ c: PostgresConnection) throws -> Int? {
        let meta = try c.query("SELECT to_regclass('smsbatch.meta') IS NOT NULL")
        guard meta[0, 0] == "t" else { return nil }
        let rows = try c.query("SELECT value FROM smsbatch.meta WHERE name = 'schema_version'")
        return rows.count == 0 ? 0 : rows.int(0, 0)
    }

    private static func refuseNewer(_ version: Int, location: String) throws {
        if version > schemaVersion {
            throw LedgerError(
                .newerVersion,
                "ledger \(location) was written by a newer smsbatch (schema \(version); this one knows \(schemaVersion)); upgrade smsbatch rather than risk it"
            )
        }
    }

    private static func check(_ c: PostgresConnection, location: String) throws -> Bool {
        guard let version = try installedVersion(c) else { return false }
        try refuseNewer(version, location: location)
        return true
    }

    /// Creates or upgrades the schema, one migration at a time, under an advisory lock so that processes starting
    /// together do it once.
    private static func migrate(_ c: PostgresConnection, location: String) throws -> Bool {
        try c.transaction {
            try c.query("SELECT pg_advisory_xact_lock($1)", [String(AdvisoryLock.migration)])
            let version = try installedVersion(c) ?? 0
            try refuseNewer(version, location: location)
            for (target, script) in migrations where target > version {
                try c.execute(script: script)
                try c.query(
                    """
                    INSERT INTO smsbatch.meta(name, value) VALUES ('schema_version', $1)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value
                    """, [String(target)])
            }
        }
        return true
    }

    /// Keys of the advisory locks smsbatch takes (`'sms'` in the high bytes).
    enum AdvisoryLock {
        static let migration: Int64 = 0x736D_7300_0000_0001
        static let claim: Int64 = 0x736D_7300_0000_0002
    }

    /// Schema versions and the script that reaches each from the one before.
    static let migrations: [(Int, String)] = [
        (
            1,
            """
            CREATE SCHEMA IF NOT EXISTS smsbatch;
            CREATE TABLE IF NOT EXISTS smsbatch.meta(name text PRIMARY KEY, value text NOT NULL);
            CREATE TABLE smsbatch.messages(
                seq bigserial PRIMARY KEY,
                id text NOT NULL UNIQUE,
                plan_day text NOT NULL,
                rule text NOT NULL,
                msisdn text NOT NULL,
                brand text NOT NULL,
                template text NOT NULL,
                stars integer NOT NULL,
                text text NOT NULL,
                units integer NOT NULL,
                segments integer NOT NULL,
                keys text NOT NULL,
                state text NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'rejected', 'deferred', 'expired')),
                due_day text NOT NULL,
                expires_day text,
                attempts integer NOT NULL DEFAULT 0,
                created_at text NOT NULL,
                updated_at text NOT NULL,
                sent_at text,
                sent_day text,
                gateway_message_id text,
                reply_status integer,
                last_error text,
                worker text,
                lease_until timestamptz
            );
            CREATE INDEX messages_waiting ON smsbatch.messages(seq) WHERE state IN ('queued', 'deferred');
            CREATE INDEX messages_leases ON smsbatch.messages(lease_until) WHERE state = 'sending';
            -- What each day's quotas have counted: per subscriber and rule, and the day's total (msisdn and rule '').
            CREATE TABLE smsbatch.daily_counts(
                day text NOT NULL,
                msisdn text NOT NULL,
                rule text NOT NULL,
                sent integer NOT NULL,
                PRIMARY KEY (day, msisdn, rule)
            );
            CREATE TABLE smsbatch.items(key text PRIMARY KEY, message_id text NOT NULL);
            """
        ),
        // Held and dropped messages (SPEC §5), and who released or dropped them.
        (
            2,
            """
            ALTER TABLE smsbatch.messages DROP CONSTRAINT messages_state_check;
            ALTER TABLE smsbatch.messages ADD CONSTRAINT messages_state_check
                CHECK (state IN ('queued', 'sending', 'sent', 'rejected', 'deferred', 'expired', 'held', 'dropped'));
            CREATE INDEX messages_held ON smsbatch.messages(seq) WHERE state = 'held';
            CREATE TABLE smsbatch.operator_actions(
                at text NOT NULL, by_name text NOT NULL, action text NOT NULL, message_id text NOT NULL, note text);
            """
        ),
        // The approval gate and delivery receipts (issue 16).
        (
            3,
            """
            ALTER TABLE smsbatch.messages DROP CONSTRAINT messages_state_check;
            ALTER TABLE smsbatch.messages ADD CONSTRAINT messages_state_check
                CHECK (state IN ('queued', 'sending', 'sent', 'rejected', 'deferred', 'expired', 'held', 'dropped', 'awaiting'));
            ALTER TABLE smsbatch.messages ADD COLUMN plan text, ADD COLUMN delivery text, ADD COLUMN delivery_code text,
                ADD COLUMN delivery_at text;
            CREATE INDEX messages_awaiting ON smsbatch.messages(plan) WHERE state = 'awaiting';
            CREATE INDEX messages_gateway_id ON smsbatch.messages(gateway_message_id) WHERE gateway_message_id IS NOT NULL;
            CREATE TABLE smsbatch.approvals(digest text PRIMARY KEY, by_name text NOT NULL, at text NOT NULL, note text,
                messages integer NOT NULL DEFAULT 0, used_at text);
            """
        ),
        // The segments of messages sent over CMPP, by the centre's Msg_Id, with each one's status report (issue 17).
        (
            4,
            """
            CREATE TABLE smsbatch.segments(msg_id text NOT NULL, seq bigint NOT NULL, part integer NOT NULL, code text, at text,
                                           PRIMARY KEY (msg_id, seq));
            CREATE INDEX segments_seq ON smsbatch.segments(seq);
            """
        ),
    ]
}
