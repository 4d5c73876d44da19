extension Gateway {
    /// True when the gateway has failed so often that sending more now is pointless. Default: never.
    public var looksDown: Bool { false }
}
