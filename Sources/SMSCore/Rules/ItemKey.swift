#if canImport(Glibc)
import Glibc
#endif

/// Item keys (SPEC §3): what the ledger remembers so that nothing is sent twice.
public enum ItemKey {
    /// `trial:{msisdn}:{service_code}:{T}:` — a stage number follows.
    public static func trialPrefix(msisdn: String, serviceCode: String, trialEnd: CalendarDate) -> String {
        trialKey(msisdn: msisdn, serviceCode: serviceCode, trialEnd: trialEnd, stage: nil)
    }

    /// `trial:{msisdn}:{service_code}:{T}:{stage}`, or the prefix alone without a stage.
    public static func trialKey(msisdn: String, serviceCode: String, trialEnd: CalendarDate, stage: Int?) -> String {
        text(capacity: 24 + msisdn.utf8.count + serviceCode.utf8.count) { bytes in
            bytes += "trial:".utf8
            bytes += msisdn.utf8
            bytes.append(0x3A)
            bytes += serviceCode.utf8
            bytes.append(0x3A)
            trialEnd.appendText(to: &bytes)
            bytes.append(0x3A)
            if let stage { bytes += String(stage).utf8 }
        }
    }

    /// `points:{msisdn}:{C}:` — a stage number follows.
    public static func pointsPrefix(msisdn: String, clearingDate: CalendarDate) -> String {
        pointsKey(msisdn: msisdn, clearingDate: clearingDate, stage: nil)
    }

    /// `points:{msisdn}:{C}:{stage}`, or the prefix alone without a stage.
    public static func pointsKey(msisdn: String, clearingDate: CalendarDate, stage: Int?) -> String {
        text(capacity: 24 + msisdn.utf8.count) { bytes in
            bytes += "points:".utf8
            bytes += msisdn.utf8
            bytes.append(0x3A)
            clearingDate.appendText(to: &bytes)
            bytes.append(0x3A)
            if let stage { bytes += String(stage).utf8 }
        }
    }

    /// `summary:{msisdn}:{YYYY-MM}`.
    public static func summary(msisdn: String, month: YearMonth) -> String {
        summary(msisdn: msisdn, monthText: month.description)
    }

    /// The same with the month already written `YYYY-MM` (a rule writes it once, not once per subscriber).
    public static func summary(msisdn: String, monthText: String) -> String {
        text(capacity: 9 + msisdn.utf8.count + monthText.utf8.count) { bytes in
            bytes += "summary:".utf8
            bytes += msisdn.utf8
            bytes.append(0x3A)
            bytes += monthText.utf8
        }
    }

    /// A key written as bytes, then made a `String` once (appending piece by piece to a `String` costs far more).
    private static func text(capacity: Int, _ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Splits a staged key into its prefix (up to the last colon) and stage; `nil` for unstaged keys.
    public static func splitStage(_ key: String) -> (prefix: Substring, stage: Int)? {
        guard !key.hasPrefix("summary:"), let colon = key.lastIndex(of: ":"),
              let stage = Int(key[key.index(after: colon)...]) else { return nil }
        return (key[...colon], stage)
    }
}

extension ItemKey {
    /// The last day on which the notice of `key` still makes sense: the trial's last free day, the clearing
    /// date, or the end of the summary's catch-up days. `nil` for a key of unknown shape.
    public static func lastUsefulDay(of key: String, graceDays: Int) -> CalendarDate? {
        // Read on the key's bytes (a ledger records a million of these a night): its non-empty colon-separated
        // fields, at most six looked at, as `split(separator: ":")` would give them.
        var key = key
        return key.withUTF8 { b -> CalendarDate? in
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: 6) { fields -> CalendarDate? in
                var count = 0
                var start = 0
                for i in 0...b.count where i == b.count || b[i] == 0x3A {
                    if i > start {
                        if count < 6 { fields.initializeElement(at: count, to: start..<i) }
                        count += 1
                    }
                    start = i + 1
                }
                return count == 0 ? nil : usefulDay(b, kind: fields[0], fields: count, at: { fields[$0] }, graceDays: graceDays)
            }
        }
    }

    /// The day for a key whose `fields` fields lie in `b` (the first being `kind`; `at(n)` is field n, n < 6).
    private static func usefulDay(_ b: UnsafeBufferPointer<UInt8>, kind: Range<Int>, fields count: Int,
                                  at field: (Int) -> Range<Int>, graceDays: Int) -> CalendarDate? {
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return r.isEmpty ? nil : n
        }
        /// `YYYY-MM-DD` (or `YYYY-MM` without a day) at `r`.
        func date(_ r: Range<Int>, day: Bool) -> (Int, Int, Int)? {
            guard r.count == (day ? 10 : 7), b[r.lowerBound + 4] == 0x2D, !day || b[r.lowerBound + 7] == 0x2D,
                  let y = number(r.lowerBound..<r.lowerBound + 4), let m = number(r.lowerBound + 5..<r.lowerBound + 7) else { return nil }
            guard day else { return (y, m, 1) }
            guard let d = number(r.lowerBound + 8..<r.lowerBound + 10) else { return nil }
            return (y, m, d)
        }
        func kindIs(_ name: StaticString) -> Bool {
            kind.count == name.utf8CodeUnitCount && memcmp(b.baseAddress! + kind.lowerBound, name.utf8Start, kind.count) == 0
        }
        if kindIs("trial"), count == 5, let (y, m, d) = date(field(3), day: true) {
            return CalendarDate(year: y, month: m, day: d)
        }
        if kindIs("points"), count == 4, let (y, m, d) = date(field(2), day: true) {
            return CalendarDate(year: y, month: m, day: d)
        }
        if kindIs("summary"), count == 3, let (y, m, _) = date(field(2), day: false), (1...12).contains(m),
           let first = CalendarDate(year: y, month: m, day: 1) {
            return first.adding(days: CalendarDate.daysIn(month: m, year: y) - 1 + graceDays)
        }
        return nil
    }
}
