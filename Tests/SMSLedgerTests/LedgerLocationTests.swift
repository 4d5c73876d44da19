import Testing

@testable import SMSLedger

@Suite struct LedgerLocationTests {
    @Test(arguments: [
        ("postgres://ops:s3cret@db.internal:5432/sms", "postgres://ops@db.internal:5432/sms"),
        ("postgresql://ops:s3cret@db/sms?sslmode=require&password=s3cret", "postgresql://ops@db/sms?sslmode=require&password=***"),
        ("postgres://ops@127.0.0.1:5432/sms", "postgres://ops@127.0.0.1:5432/sms"),
        ("postgres://db/sms", "postgres://db/sms"),
        ("ledger.sqlite", "ledger.sqlite"),
    ])
    func redactsPasswords(url: String, shown: String) {
        #expect(LedgerLocation.redacted(url) == shown)
    }

    @Test func tellsFilesFromServers() {
        #expect(LedgerLocation("postgres://h/db") == .postgres(url: "postgres://h/db"))
        #expect(LedgerLocation("postgresql://h/db") == .postgres(url: "postgresql://h/db"))
        #expect(LedgerLocation("/var/lib/smsbatch/ledger.sqlite") == .file("/var/lib/smsbatch/ledger.sqlite"))
        #expect(LedgerLocation.isUnknownURL("mysql://h/db"))
        #expect(!LedgerLocation.isUnknownURL("postgres://h/db") && !LedgerLocation.isUnknownURL("ledger.sqlite"))
    }

    @Test func arrayLiteralsQuoteEveryElement() {
        #expect(PostgresArray.literal(["a", "b\"c", "d\\e", "中,文", "x\ny"]) == #"{"a","b\"c","d\\e","中,文","x"# + "\n" + #"y"}"#)
        #expect(PostgresArray.literal([String?.none, "NULL"]) == #"{NULL,"NULL"}"#)
        #expect(PostgresArray.literal([1, 22]) == "{1,22}")
        #expect(PostgresArray.literal([String]()) == "{}")
    }
}
