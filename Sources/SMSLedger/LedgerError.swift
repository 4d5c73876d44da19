/// A ledger that cannot be used, said so an operator knows what to do.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case cannotOpen, readOnly, newerVersion, busy, failed }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
