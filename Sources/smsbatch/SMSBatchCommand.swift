import ArgumentParser
import Foundation
import SMSBatch

@main
struct SMSBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsbatch",
        abstract: "Nightly SMS notices for a mobile operator: trial expiry, voucher expiry, points clearing, month-end VAS summary.",
        subcommands: [
            RunCommand.self, ReplayCommand.self, SendCommand.self, StatusCommand.self, HeldCommand.self, ApproveCommand.self, ReceiptsCommand.self,
            PreviewCommand.self, LintCommand.self, ConfigCommand.self,
        ])

    /// Runs the command; exit status per SPEC §7 (2 for usage errors).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as BatchError {
            Log.bootstrap(format: .human, level: .info)  // no-op when the command already set up logging
            Log().error(error.message)
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
