import ArgumentParser
import Foundation
import SMSBatch
import SMSCore
import SMSLedger

/// `smsbatch held`: the messages held instead of sent (SPEC §5), and the operator's decision on them.
struct HeldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "held",
        abstract: "List held messages (a link, a signature or too much text from the data), or release or drop them.",
        subcommands: [List.self, Release.self, Drop.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List held messages with their reason (numbers masked).")

        @Option(help: "Show at most this many (default 100).")
        var limit = 100

        @OptionGroup var common: CommonOptions

        func run() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
            let held = try common.job().held(limit: limit)
            if held.isEmpty {
                print("no message is held.")
                return
            }
            for m in held {
                print("\(m.id)  \(Msisdn.mask(m.msisdn))  \(m.rule)  \(m.planDay)  \(Redaction.forTerminal(m.reason))")
                print("    \(Redaction.forTerminal(m.text))")
            }
            print(
                "\(held.count) held. `smsbatch held release --id ID --by NAME` sends one as it is; `smsbatch held drop --id ID --by NAME` never sends it."
            )
        }
    }

    /// The options release and drop share.
    struct Decision: ParsableArguments {
        @Option(name: .customLong("id"), help: "A held message's id (repeat for more).")
        var ids: [String] = []

        @Flag(help: "Every held message.")
        var all = false

        @OptionGroup var signature: SignatureOptions

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("name the messages with --id ID (repeatable) or --all, not both") }
        }

        func apply(_ action: HeldAction, common: CommonOptions) throws {
            let job = try common.job()
            let n = try job.decide(action, ids: all ? nil : ids, by: signature.by, note: signature.note, now: job.now(signature.now))
            let what = action == .release ? "released (they go out with the next send inside the window)" : "dropped (never sent)"
            print("\(n) held messages \(what).")
            if n < (all ? 0 : Set(ids).count) {
                print("\(Set(ids).count - n) of the ids named are not held (already decided, or unknown).")
            }
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put held messages back in the queue, to be sent as they are.")
        @OptionGroup var decision: Decision
        @OptionGroup var common: CommonOptions
        func run() throws { try decision.apply(.release, common: common) }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Never send held messages (their keys stay recorded).")
        @OptionGroup var decision: Decision
        @OptionGroup var common: CommonOptions
        func run() throws { try decision.apply(.drop, common: common) }
    }
}
