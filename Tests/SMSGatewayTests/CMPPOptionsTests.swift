import Testing

@testable import SMSGateway

@Suite struct CMPPOptionsTests {
    @Test func aFullURLIsRead() throws {
        let o = try CMPPOptions(
            url: "cmpp://901234@ismg.example:7891?service_id=MNTF&src_id=10658888&version=3.0&window=32&report_wait=2.5&fee_type=02")
        #expect(o.spID == "901234" && o.host == "ismg.example" && o.port == 7891)
        #expect(o.serviceID == "MNTF" && o.srcID == "10658888" && o.msgSrc == "901234")
        #expect(o.version == .v30 && o.window == 32 && o.reportWait == 2.5 && o.feeType == "02")
        let d = try CMPPOptions(url: "cmpp://901234@ismg.example?service_id=MNTF&src_id=1065")
        #expect(d.port == 7890 && d.version == .v20 && d.window == 16 && d.reportWait == 5)
        #expect(try GatewayTarget("cmpp://901234@h?service_id=S&src_id=1") == .cmpp("cmpp://901234@h?service_id=S&src_id=1"))
    }

    @Test(arguments: [
        ("cmpp://h:7890?service_id=S&src_id=1", "SP id"),
        ("cmpp://1234567@h?service_id=S&src_id=1", "SP id"),
        ("cmpp://901234:hunter2@h?service_id=S&src_id=1", "SMSBATCH_CMPP_SECRET"),
        ("cmpp://901234@h?src_id=1", "service_id is required"),
        ("cmpp://901234@h?service_id=S", "src_id is required"),
        ("cmpp://901234@h?service_id=S&src_id=10a", "src_id must be"),
        ("cmpp://901234@h?service_id=S&src_id=1&version=4.0", "version 4.0"),
        ("cmpp://901234@h?service_id=S&src_id=1&window=0", "window"),
        ("cmpp://901234@h?service_id=S&src_id=1&window=2.5", "whole number"),
        ("cmpp://901234@h?service_id=S&src_id=1&secret=x", "unknown setting 'secret'"),
    ])
    func aWrongURLIsOneSentenceAndNeverShowsASecret(_ url: String, _ says: String) {
        do {
            _ = try CMPPOptions(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.kind == .misconfigured)
            #expect(error.message.contains(says), "\(error.message)")
            #expect(!error.message.contains("hunter2"))
        }
    }
}
