import Foundation

/// CMPP_CONNECT: Source_Addr 6, AuthenticatorSource 16, Version 1, Timestamp 4.
public struct CMPPConnect: Sendable, Equatable {
    public var sourceAddr: String
    public var authenticator: [UInt8]
    public var version: UInt8
    public var timestamp: UInt32

    /// A login for `sourceAddr` (the SP id) with `secret`, stamped `timestamp` (MMDDHHMMSS as a number).
    public init(sourceAddr: String, secret: String, timestamp: UInt32, version: CMPPVersion) {
        self.sourceAddr = sourceAddr
        self.timestamp = timestamp
        self.version = version.rawValue
        authenticator = CMPPConnect.authenticator(sourceAddr: sourceAddr, secret: secret, timestamp: timestamp)
    }

    /// MD5(Source_Addr + 9 zero bytes + shared secret + timestamp as the ten digits MMDDHHMMSS).
    public static func authenticator(sourceAddr: String, secret: String, timestamp: UInt32) -> [UInt8] {
        let stamp = String(timestamp)
        let digits = String(repeating: "0", count: max(0, 10 - stamp.count)) + stamp
        return MD5.digest(Array(sourceAddr.utf8) + [UInt8](repeating: 0, count: 9) + Array(secret.utf8) + Array(digits.utf8))
    }

    /// `date` as MMDDHHMMSS in China's time (the centre's clock).
    public static func timestamp(_ date: Date) -> UInt32 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let c = calendar.dateComponents([.month, .day, .hour, .minute, .second], from: date)
        let parts = [c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0]
        return UInt32(parts.reduce(0) { $0 * 100 + $1 })
    }

    public var body: [UInt8] {
        var w = CMPPWriter()
        w.octets(sourceAddr, 6)
        w.bytes(authenticator)
        w.u8(version)
        w.u32(timestamp)
        return w.data
    }
}

/// CMPP_CONNECT_RESP: Status (1 byte in 2.0, 4 in 3.0), AuthenticatorISMG 16, Version 1.
public struct CMPPConnectResp: Sendable, Equatable {
    public var status: UInt32
    public var version: UInt8

    public init(body: [UInt8], version: CMPPVersion) {
        var r = CMPPReader(body)
        status = r.status(width: version.statusLength)
        _ = r.take(16)
        self.version = r.u8()
    }

    /// What a refused login's status means (CMPP 2.0 §7.4.2).
    public static func meaning(_ status: UInt32) -> String {
        switch status {
        case 0: "accepted"
        case 1: "bad message structure"
        case 2: "illegal source address (check the SP id)"
        case 3: "authenticator wrong (check SMSBATCH_CMPP_SECRET)"
        case 4: "version too high for this centre (set version= in the gateway URL to the one it speaks)"
        default: "other error"
        }
    }
}

/// CMPP_SUBMIT for one segment to one number.
public struct CMPPSubmit: Sendable, Equatable {
    public var pkTotal: UInt8 = 1
    public var pkNumber: UInt8 = 1
    public var registeredDelivery: UInt8 = 1
    public var msgLevel: UInt8 = 0
    public var serviceID: String
    /// 0 the receiver pays, 1 the sender, 2 the SP, 3 Fee_terminal_Id.
    public var feeUserType: UInt8 = 2
    public var feeTerminalID = ""
    public var tpPid: UInt8 = 0
    public var tpUdhi: UInt8 = 0
    /// 8: UCS-2.
    public var msgFmt: UInt8 = 8
    public var msgSrc: String
    /// 01 free, 02 per message, 03 monthly, …
    public var feeType = "01"
    public var feeCode = "000000"
    public var srcID: String
    public var destination: String
    public var content: [UInt8]
    /// CMPP 3.0 only.
    public var linkID = ""

    public init(serviceID: String, msgSrc: String, srcID: String, destination: String, content: [UInt8]) {
        (self.serviceID, self.msgSrc, self.srcID, self.destination, self.content) = (serviceID, msgSrc, srcID, destination, content)
    }

    /// The body in `version`'s layout (Msg_Id is 0: the centre fills it in).
    public func body(_ version: CMPPVersion) -> [UInt8] {
        var w = CMPPWriter()
        w.u64(0)
        w.u8(pkTotal)
        w.u8(pkNumber)
        w.u8(registeredDelivery)
        w.u8(msgLevel)
        w.octets(serviceID, 10)
        w.u8(feeUserType)
        w.octets(feeTerminalID, version.terminalIDLength)
        if version == .v30 { w.u8(0) }  // Fee_terminal_type: a real number
        w.u8(tpPid)
        w.u8(tpUdhi)
        w.u8(msgFmt)
        w.octets(msgSrc, 6)
        w.octets(feeType, 2)
        w.octets(feeCode, 6)
        w.octets("", 17)  // ValId_Time: the centre's default
        w.octets("", 17)  // At_Time: at once
        w.octets(srcID, 21)
        w.u8(1)  // DestUsr_tl
        w.octets(destination, version.terminalIDLength)
        if version == .v30 { w.u8(0) }  // Dest_terminal_type
        w.u8(UInt8(content.count))
        w.bytes(content)
        if version == .v20 { w.octets("", 8) } else { w.octets(linkID, 20) }  // Reserve / LinkID
        return w.data
    }
}

/// CMPP_SUBMIT_RESP: Msg_Id 8, Result (1 byte in 2.0, 4 in 3.0).
public struct CMPPSubmitResp: Sendable, Equatable {
    public var msgID: UInt64
    public var result: UInt32

    public init(body: [UInt8], version: CMPPVersion) {
        var r = CMPPReader(body)
        msgID = r.u64()
        result = r.status(width: version.statusLength)
    }

    /// What a SUBMIT_RESP result means (CMPP 2.0 §7.4.3.2: 0–8, anything else "other error"; 3.0 adds 9–13).
    public static func meaning(_ result: UInt32, version: CMPPVersion = .v30) -> String {
        if version == .v20, result > 8 { return "other error" }
        return switch result {
        case 0: "accepted"
        case 1: "bad message structure"
        case 2: "bad command word"
        case 3: "duplicate sequence number"
        case 4: "bad message length"
        case 5: "bad fee code"
        case 6: "message too long"
        case 7: "bad service id"
        case 8: "flow control"
        case 9: "this centre does not serve the fee number"
        case 10: "bad Src_Id"
        case 11: "bad Msg_src"
        case 12: "bad Fee_terminal_Id"
        case 13: "bad Dest_terminal_Id"
        default: "other error"
        }
    }
}

/// A status report carried in a DELIVER with Registered_Delivery = 1: Msg_Id 8, Stat 7, Submit_time 10,
/// Done_time 10, Dest_terminal_Id (21 or 32), SMSC_sequence 4.
public struct CMPPStatusReport: Sendable, Equatable {
    public var msgID: UInt64
    public var stat: String
    public var submitTime: String
    public var doneTime: String
    public var destination: String

    public init(content: [UInt8], version: CMPPVersion) {
        var r = CMPPReader(content)
        msgID = r.u64()
        stat = r.octets(7).trimmingCharacters(in: .whitespaces)
        submitTime = r.octets(10)
        doneTime = r.octets(10)
        destination = r.octets(version.terminalIDLength)
    }
}

/// CMPP_DELIVER: a mobile-originated message, or a status report when Registered_Delivery is 1.
public struct CMPPDeliver: Sendable, Equatable {
    public var msgID: UInt64
    public var destID: String
    public var serviceID: String
    public var msgFmt: UInt8
    public var source: String
    public var registeredDelivery: UInt8
    public var content: [UInt8]
    /// The report, when this is one.
    public var report: CMPPStatusReport?

    public init(body: [UInt8], version: CMPPVersion) {
        var r = CMPPReader(body)
        msgID = r.u64()
        destID = r.octets(21)
        serviceID = r.octets(10)
        _ = r.u8()  // TP_pid
        _ = r.u8()  // TP_udhi
        msgFmt = r.u8()
        source = r.octets(version.terminalIDLength)
        if version == .v30 { _ = r.u8() }  // Src_terminal_type
        registeredDelivery = r.u8()
        let length = Int(r.u8())
        content = r.take(length)
        report = registeredDelivery == 1 ? CMPPStatusReport(content: content, version: version) : nil
    }
}

/// CMPP_DELIVER_RESP: the DELIVER's Msg_Id echoed, Result (1 byte in 2.0, 4 in 3.0); 0 is received.
public enum CMPPDeliverResp {
    public static func body(msgID: UInt64, result: UInt32 = 0, version: CMPPVersion) -> [UInt8] {
        var w = CMPPWriter()
        w.u64(msgID)
        w.status(result, width: version.statusLength)
        return w.data
    }
}
