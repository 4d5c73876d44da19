import ArgumentParser
import Foundation
import SMSBatch

/// `smsbatch approve`: a reviewer signs off a plan by its digest (issue 16).
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a plan by its digest (from preview or a gated run); send or the next run delivers exactly that plan.")

    @Option(help: "The plan's digest: 64 lowercase hex digits, as `plan …` printed it.")
    var plan: String

    @OptionGroup var signature: SignatureOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard plan.count == 64, plan.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw ValidationError("--plan must be a plan digest: 64 lowercase hex digits")
        }
    }

    func run() throws {
        let job = try common.job()
        let by = signature.by
        let outcome = try job.approve(digest: plan, by: by, note: signature.note, now: job.now(signature.now))
        if outcome.alreadyApproved { print("plan \(plan) was already approved; nothing changed.") }
        if outcome.released > 0 {
            print("approved plan \(plan) by \(by): \(outcome.released) messages go to the queue; `smsbatch send` delivers them inside the window.")
        } else if !outcome.alreadyApproved {
            print(
                "approved plan \(plan) by \(by) before its run: the run whose plan has this digest sends at once; a plan that differs in one message or character is not covered."
            )
        }
    }
}

/// `smsbatch receipts`: delivery reports from the gateway or the SMS centre (issue 16).
struct ReceiptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipts",
        abstract: "Ingest delivery receipts (JSON Lines {\"id\",\"status\",\"at\"} or CSV id,status,at); the same file twice changes nothing.")

    @Option(help: "The receipts file.")
    var file: String

    @Option(help: "Replace the wall clock (ISO 8601).")
    var now: String?

    @OptionGroup var common: CommonOptions

    func run() throws {
        let job = try common.job()
        let (outcome, problems) = try job.receipts(file: file, now: job.now(now))
        for p in problems { FileHandle.standardError.write(Data("smsbatch: \(file): malformed \(p) (skipped)\n".utf8)) }
        var line =
            "receipts: \(outcome.applied) applied, \(outcome.unchanged) unchanged, \(outcome.unknownIDs.count) unknown ids, \(problems.count) malformed lines"
        if !outcome.unknownIDs.isEmpty {
            line += " (unknown: " + outcome.unknownIDs.prefix(5).joined(separator: ", ") + (outcome.unknownIDs.count > 5 ? ", …" : "") + ")"
        }
        print(line)
    }
}
