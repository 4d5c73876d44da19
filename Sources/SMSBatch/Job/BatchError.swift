import SMSLedger

/// Why a run stopped, with the exit status of SPEC §7.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Wrong command-line use (exit 2).
        case usage
        /// Bad input over tolerance, or input that cannot be read (exit 65).
        case badInput
        /// The gateway is down; messages stay queued (exit 69).
        case gatewayUnavailable
        /// A file or the ledger cannot be written (exit 74).
        case io
        /// Another run holds the ledger's lock (exit 75).
        case locked
        /// The configuration or a template is wrong (exit 78).
        case configuration
        /// SIGTERM or SIGINT stopped the run after it settled what was in flight (exit 128 + the signal).
        case interrupted(Int32)
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var exitCode: Int32 {
        switch kind {
        case .usage: 2
        case .badInput: 65
        case .gatewayUnavailable: 69
        case .io: 74
        case .locked: 75
        case .configuration: 78
        case let .interrupted(signal): 128 + signal
        }
    }

    public var description: String { message }
}

extension BatchError {
    /// A ledger failure as a run's error: a ledger written by a newer smsbatch is a setup problem (exit 78), any
    /// other failure means the ledger cannot be written (exit 74).
    init(_ error: LedgerError) {
        self.init(error.kind == .newerVersion ? .configuration : .io, error.message)
    }
}
