import Testing

@testable import SMSLedger

/// A message is delivered when every segment's report says DELIVRD, undelivered (the first failing code in segment
/// order) as soon as one says otherwise, and undecided while reports are missing and none failed.
@Test func segmentReportsDecideTheMessage() {
    let rows: [(seq: Int, part: Int, code: String?)] = [
        (1, 1, "DELIVRD"), (1, 2, "DELIVRD"),
        (2, 1, "DELIVRD"), (2, 2, nil),
        (3, 2, "EXPIRED"), (3, 1, "UNDELIV"), (3, 3, nil),
        (4, 1, nil),
        (5, 1, "MK:0001"),
    ]
    let v = SegmentVerdict.of(rows)
    #expect(v[1] == .delivered)
    #expect(v[2] == nil)
    #expect(v[3] == .undelivered(code: "UNDELIV"))
    #expect(v[4] == nil)
    #expect(v[5] == .undelivered(code: "MK:0001"))
}
