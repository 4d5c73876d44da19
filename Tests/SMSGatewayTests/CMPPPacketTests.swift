import Testing

@testable import SMSGateway

@Suite struct CMPPPacketTests {
    @Test func connectCarriesTheSPIDTheAuthenticatorTheVersionAndTheTimestamp() {
        let c = CMPPConnect(sourceAddr: "901234", secret: "s3cret", timestamp: 130_093_005, version: .v20)
        let body = c.body
        #expect(body.count == 27)
        #expect(Array(body[0..<6]) == Array("901234".utf8))
        // MD5("901234" + 9 zero bytes + "s3cret" + "0130093005"): the month keeps its leading zero.
        #expect(MD5.hex(Array(body[0..<6]) + [UInt8](repeating: 0, count: 9) + Array("s3cret0130093005".utf8)) == "84dd7407ebf589281e1eea6c59d0697b")
        #expect(Array(body[6..<22]) == MD5.digest(Array("901234".utf8) + [UInt8](repeating: 0, count: 9) + Array("s3cret0130093005".utf8)))
        #expect(body[22] == 0x20)
        #expect(Array(body[23..<27]) == [0x07, 0xC1, 0x0F, 0xCD])  // 130093005 big-endian
        let frame = CMPPFrame(.connect, sequence: 1, body: body).encoded
        #expect(Array(frame[0..<12]) == [0, 0, 0, 39, 0, 0, 0, 1, 0, 0, 0, 1])
    }

    @Test func submitHasTheCMPP20Layout() {
        var s = CMPPSubmit(serviceID: "SVC", msgSrc: "901234", srcID: "10658888", destination: "13800138000", content: [0x4E, 0x2D])
        s.pkTotal = 2
        s.pkNumber = 1
        s.tpUdhi = 1
        let b = s.body(.v20)
        #expect(b.count == 147 + 2)
        #expect(Array(b[0..<8]) == [UInt8](repeating: 0, count: 8), "Msg_Id is left to the centre")
        #expect(b[8] == 2 && b[9] == 1 && b[10] == 1, "Pk_total, Pk_number, Registered_Delivery")
        #expect(Array(b[12..<15]) == Array("SVC".utf8) && b[15] == 0)
        #expect(b[22] == 2, "Fee_UserType")
        #expect(b[44] == 0 && b[45] == 1 && b[46] == 8, "TP_pId, TP_udhi, Msg_Fmt")
        #expect(Array(b[47..<53]) == Array("901234".utf8))
        #expect(Array(b[53..<55]) == Array("01".utf8) && Array(b[55..<61]) == Array("000000".utf8))
        #expect(Array(b[95..<103]) == Array("10658888".utf8))
        #expect(b[116] == 1, "DestUsr_tl")
        #expect(Array(b[117..<128]) == Array("13800138000".utf8))
        #expect(b[138] == 2 && Array(b[139..<141]) == [0x4E, 0x2D], "Msg_Length and Msg_Content")
        #expect(Array(b[141...]) == [UInt8](repeating: 0, count: 8), "Reserve")
    }

    @Test func submitHasTheCMPP30Layout() {
        let s = CMPPSubmit(serviceID: "SVC", msgSrc: "901234", srcID: "10658888", destination: "13800138000", content: [0x00, 0x41])
        let b = s.body(.v30)
        #expect(b.count == 183 + 2)
        #expect(b[55] == 0 && b[56] == 0 && b[57] == 0 && b[58] == 8, "Fee_terminal_type, TP_pId, TP_udhi, Msg_Fmt")
        #expect(b[128] == 1 && Array(b[129..<140]) == Array("13800138000".utf8), "DestUsr_tl, a 32-byte Dest_terminal_Id")
        #expect(b[161] == 0 && b[162] == 2 && Array(b[163..<165]) == [0x00, 0x41], "Dest_terminal_type, Msg_Length, Msg_Content")
        #expect(Array(b[165...]).count == 20, "LinkID")
    }

    @Test func repliesDecodeInBothVersions() {
        let r20 = CMPPSubmitResp(body: [0, 0, 0, 0, 0, 0, 0x30, 0x39, 8], version: .v20)
        #expect(r20.msgID == 12345 && r20.result == 8)
        let r30 = CMPPSubmitResp(body: [0, 0, 0, 0, 0, 0, 0x30, 0x39, 0, 0, 0, 13], version: .v30)
        #expect(r30.msgID == 12345 && r30.result == 13)
        #expect(CMPPConnectResp(body: [3] + [UInt8](repeating: 0, count: 16) + [0x20], version: .v20).status == 3)
        #expect(CMPPConnectResp(body: [0, 0, 0, 4] + [UInt8](repeating: 0, count: 16) + [0x30], version: .v30).status == 4)
        #expect(CMPPDeliverResp.body(msgID: 1, version: .v20) == [0, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(CMPPDeliverResp.body(msgID: 1, version: .v30).count == 12)
    }

    @Test(arguments: [CMPPVersion.v20, .v30])
    func aStatusReportDeliverDecodes(_ version: CMPPVersion) throws {
        var content = CMPPWriter()
        content.u64(0xABCDEF)
        content.octets("UNDELIV", 7)
        content.octets("2611301000", 10)
        content.octets("2611301001", 10)
        content.octets("13800138000", version.terminalIDLength)
        content.u32(1)
        var w = CMPPWriter()
        w.u64(99)
        w.octets("10658888", 21)
        w.octets("SVC", 10)
        w.bytes([0, 0, 0])
        w.octets("13800138000", version.terminalIDLength)
        if version == .v30 { w.u8(0) }
        w.u8(1)
        w.u8(UInt8(content.data.count))
        w.bytes(content.data)
        w.octets("", version == .v20 ? 8 : 20)
        let d = CMPPDeliver(body: w.data, version: version)
        #expect(d.msgID == 99 && d.registeredDelivery == 1)
        let r = try #require(d.report)
        #expect(r.msgID == 0xABCDEF && r.stat == "UNDELIV" && r.submitTime == "2611301000" && r.doneTime == "2611301001")
        #expect(r.destination == "13800138000")
    }

    @Test func framesAreTakenWholeAndABadLengthIsRefused() throws {
        let a = CMPPFrame(.activeTest, sequence: 7).encoded
        let b = CMPPFrame(.submitResp, sequence: 8, body: [1, 2, 3]).encoded
        let stream = a + b
        var at = 0
        let partial = Array(stream.prefix(a.count + 5))
        #expect(try CMPPFrame.take(from: partial, at: &at) == CMPPFrame(.activeTest, sequence: 7))
        #expect(try CMPPFrame.take(from: partial, at: &at) == nil, "half a frame waits for the rest")
        #expect(try CMPPFrame.take(from: stream, at: &at) == CMPPFrame(.submitResp, sequence: 8, body: [1, 2, 3]))
        var zero = 0
        #expect(throws: CMPPFrame.Malformed.self) { try CMPPFrame.take(from: [0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0, 1], at: &zero) }
    }
}
