import Testing

@testable import SMSGateway

@Suite struct LongMessageTests {
    /// The SPEC's count: 1 up to 70 units, else ⌈units / 67⌉.
    static func specSegments(_ units: Int) -> Int { units <= 70 ? 1 : (units + 66) / 67 }

    @Test(arguments: [1, 69, 70, 71, 134, 135, 201, 202, 500])
    func segmentsMatchTheSpecAndReassembleToTheText(_ units: Int) {
        let text = String((0..<units).map { i in Character(UnicodeScalar(0x4E00 + i % 500)!) })
        let long = LongMessage(text: text, reference: 0x5A)
        #expect(long.segments.count == Self.specSegments(units))
        let parts = long.segments.map { LongMessage.text(of: $0.content, hasHeader: $0.hasHeader) }
        #expect(parts.joined() == text)
        for (i, s) in long.segments.enumerated() {
            #expect(s.content.count <= 140)
            if units <= 70 {
                #expect(!s.hasHeader && s.content.count == units * 2)
            } else {
                #expect(s.hasHeader)
                #expect(Array(s.content.prefix(6)) == [0x05, 0x00, 0x03, 0x5A, UInt8(long.segments.count), UInt8(i + 1)])
                #expect(s.content.count - 6 <= 134)
            }
        }
    }

    @Test func contentIsBigEndianUCS2() {
        let long = LongMessage(text: "【中国移动】A", reference: 1)
        #expect(long.segments[0].content == [0x30, 0x10, 0x4E, 0x2D, 0x56, 0xFD, 0x79, 0xFB, 0x52, 0xA8, 0x30, 0x11, 0x00, 0x41])
    }

    @Test func aSurrogatePairIsNeverCutBetweenSegments() {
        // 66 BMP units, then an emoji (two units) straddling the 67-unit boundary, then more text.
        let text = String(repeating: "中", count: 66) + "😀" + String(repeating: "文", count: 10)
        let long = LongMessage(text: text, reference: 7)
        #expect(long.segments.count == 2)
        let first = long.segments[0].content.dropFirst(6)
        #expect(first.count == 66 * 2, "the first segment ends before the emoji")
        for s in long.segments {
            let last = Array(s.content.suffix(2))
            #expect(!(0xD8...0xDB).contains(last[0]), "no segment ends in a high surrogate")
        }
        #expect(long.segments.map { LongMessage.text(of: $0.content, hasHeader: true) }.joined() == text)
    }
}

@Suite struct LongMessageCountTests {
    /// Found by an independent ISMG: 134 units with a pair across unit 67 went out as 3 segments while the plan said 2.
    /// Keeping the pair whole would take a third segment, so the text is cut every 67 units: the count is SPEC §4's.
    @Test func keepingAPairWholeNeverTakesMoreSegmentsThanTheSpecCounts() {
        let text = String(repeating: "中", count: 66) + "😀" + String(repeating: "文", count: 66)
        #expect(text.utf16.count == 134)
        let long = LongMessage(text: text, reference: 9)
        #expect(long.segments.count == 2)
        #expect(long.segments.map { $0.content.count - 6 } == [134, 134])
        // Reassembled as a handset does: the units of every segment, then the text.
        #expect(LongMessage.text(of: long.segments.flatMap { $0.content.dropFirst(6) }, hasHeader: false) == text)
    }
}
