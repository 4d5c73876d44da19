import ArgumentParser

/// Who decides, why and when: the options of every operator decision the ledger keeps (held messages, approvals).
struct SignatureOptions: ParsableArguments {
    @Option(help: "Who decides (kept in the ledger).")
    var by: String

    @Option(help: "Why, in a few words (kept in the ledger).")
    var note: String?

    @Option(help: "Replace the wall clock (ISO 8601).")
    var now: String?

    func validate() throws {
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by must name who decides") }
    }
}
