import Foundation

/// The settings of a CMPP gateway, all from its URL
/// `cmpp://SPID@HOST:PORT?service_id=SVC&src_id=10658888&version=2.0&window=16` (the shared secret comes from the
/// environment, never from the URL).
public struct CMPPOptions: Sendable, Equatable {
    /// The SP's enterprise code (Source_Addr, and Msg_src by default): up to 6 characters.
    public var spID: String
    public var host: String
    /// Default 7890 (CMPP's long-connection port).
    public var port: Int
    /// Service_Id: up to 10 characters.
    public var serviceID: String
    /// Src_Id, the number handsets see: up to 21 digits.
    public var srcID: String
    /// Msg_src: default the SP id.
    public var msgSrc: String
    public var version: CMPPVersion = .v20
    /// SUBMITs sent and not yet answered, at most. Default 16. A dropped connection may duplicate at most this many.
    public var window = 16
    /// Seconds `run` and `send` wait, after the last SUBMIT, for status reports. Default 5.
    public var reportWait = 5.0
    /// Seconds without traffic after which an ACTIVE_TEST is sent. Default 30.
    public var activeTest = 30.0
    /// Seconds to connect and log in. Default 10.
    public var connectTimeout = 10.0
    /// Seconds a SUBMIT (or ACTIVE_TEST) may wait for its answer before the link is taken as dead. Default 30.
    public var responseTimeout = 30.0
    /// Fee_UserType: 0 receiver, 1 sender, 2 SP (default), 3 Fee_terminal_Id.
    public var feeUserType: UInt8 = 2
    /// FeeType: two digits, default 01 (free).
    public var feeType = "01"
    /// FeeCode in fen: up to six digits, default 000000.
    public var feeCode = "000000"
    /// Connection attempts after a drop before the run gives up (exit 69, messages stay queued). Default 5.
    public var reconnects = 5

    /// The query keys a URL may carry.
    public static let keys = [
        "service_id", "src_id", "msg_src", "version", "window", "report_wait", "active_test",
        "connect_timeout", "response_timeout", "fee_user_type", "fee_type", "fee_code", "reconnects",
    ]

    /// Parses and checks a `cmpp://` URL; what is wrong is one sentence (exit 78).
    public init(url text: String) throws(GatewayError) {
        func bad(_ why: String) -> GatewayError {
            GatewayError(.misconfigured, "gateway \(CMPPOptions.redacted(text)): \(why)")
        }
        guard text.hasPrefix("cmpp://"), let parts = URLComponents(string: text), let host = parts.host, !host.isEmpty else {
            throw bad("not a URL cmpp://SPID@HOST:PORT?service_id=…&src_id=…")
        }
        guard parts.password == nil else {
            throw bad("the shared secret does not belong in the URL; set SMSBATCH_CMPP_SECRET instead")
        }
        guard let user = parts.user, !user.isEmpty, user.utf8.count <= 6, user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw bad("the SP id (the user part, cmpp://SPID@…) must be 1 to 6 ASCII letters or digits")
        }
        spID = user
        self.host = host
        port = parts.port ?? 7890
        guard (1...65535).contains(port) else { throw bad("port \(port) is not 1…65535") }
        var query: [String: String] = [:]
        for item in parts.queryItems ?? [] {
            guard CMPPOptions.keys.contains(item.name) else {
                throw bad("unknown setting '\(item.name)' (known: \(CMPPOptions.keys.joined(separator: ", ")))")
            }
            guard query[item.name] == nil else { throw bad("'\(item.name)' is given twice") }
            query[item.name] = item.value ?? ""
        }
        func ascii(_ key: String, max: Int, digits: Bool = false) throws(GatewayError) -> String? {
            guard let v = query[key] else { return nil }
            guard !v.isEmpty, v.utf8.count <= max, v.allSatisfy({ $0.isASCII && (digits ? $0.isNumber : !$0.isWhitespace) }) else {
                throw bad("\(key) must be 1 to \(max) ASCII \(digits ? "digits" : "characters")")
            }
            return v
        }
        func number(_ key: String, _ range: ClosedRange<Double>) throws(GatewayError) -> Double? {
            guard let v = query[key] else { return nil }
            guard let n = Double(v), range.contains(n) else {
                throw bad("\(key) must be a number from \(CMPPOptions.format(range.lowerBound)) to \(CMPPOptions.format(range.upperBound))")
            }
            return n
        }
        guard let service = try ascii("service_id", max: 10) else { throw bad("service_id is required (the Service_Id the centre assigned)") }
        guard let src = try ascii("src_id", max: 21, digits: true) else { throw bad("src_id is required (the number handsets see, e.g. 10658888)") }
        serviceID = service
        srcID = src
        msgSrc = try ascii("msg_src", max: 6) ?? user
        switch query["version"] {
        case nil, "2.0", "2", "0x20": version = .v20
        case "3.0", "3", "0x30": version = .v30
        case let v?: throw bad("version \(v) is not 2.0 or 3.0")
        }
        let w = try number("window", 1...256) ?? 16
        guard w == w.rounded() else { throw bad("window must be a whole number from 1 to 256") }
        window = Int(w)
        reportWait = try number("report_wait", 0...600) ?? reportWait
        activeTest = try number("active_test", 0.1...600) ?? activeTest
        connectTimeout = try number("connect_timeout", 0.1...120) ?? connectTimeout
        responseTimeout = try number("response_timeout", 0.1...600) ?? responseTimeout
        reconnects = Int(try number("reconnects", 0...100) ?? Double(reconnects))
        if let t = try number("fee_user_type", 0...3) { feeUserType = UInt8(t) }
        if let f = try ascii("fee_type", max: 2, digits: true) { feeType = f }
        if let f = try ascii("fee_code", max: 6, digits: true) { feeCode = f }
    }

    private static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }

    /// A CMPP URL fit for logs and `config`: a password in the user part (never honoured) masked.
    public static func redacted(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.password != nil else { return text }
        parts.password = "***"
        return parts.string ?? "cmpp://***"
    }

    /// The environment variable that holds the shared secret.
    public static let secretVariable = "SMSBATCH_CMPP_SECRET"
}
