/// Item keys (SPEC §3): what the ledger remembers so that nothing is sent twice. Each rule writes its own; these
/// build the two shapes they take.
public enum ItemKey {
    /// A staged key `{kind}:{msisdn}[:{id}]:{date}:{stage}`, or its prefix (ending in `:`) without a stage.
    public static func staged(_ kind: String, msisdn: String, id: String? = nil, date: CalendarDate, stage: Int?) -> String {
        text(capacity: 24 + kind.utf8.count + msisdn.utf8.count + (id?.utf8.count ?? 0)) { bytes in
            bytes += kind.utf8
            bytes.append(0x3A)
            bytes += msisdn.utf8
            bytes.append(0x3A)
            if let id {
                bytes += id.utf8
                bytes.append(0x3A)
            }
            date.appendText(to: &bytes)
            bytes.append(0x3A)
            if let stage { bytes += String(stage).utf8 }
        }
    }

    /// `{kind}:{msisdn}:{period}`, for a notice sent once per period (a month).
    public static func periodic(_ kind: String, msisdn: String, period: String) -> String {
        text(capacity: 2 + kind.utf8.count + msisdn.utf8.count + period.utf8.count) { bytes in
            bytes += kind.utf8
            bytes.append(0x3A)
            bytes += msisdn.utf8
            bytes.append(0x3A)
            bytes += period.utf8
        }
    }

    /// A key written as bytes, then made a `String` once (appending piece by piece to a `String` costs far more).
    private static func text(capacity: Int, _ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Splits a staged key into its prefix (up to the last colon) and stage; `nil` for unstaged keys (whose last
    /// field is no whole number, e.g. a month).
    public static func splitStage(_ key: String) -> (prefix: Substring, stage: Int)? {
        guard let colon = key.utf8.lastIndex(of: 0x3A), let stage = Int(key[key.index(after: colon)...]) else { return nil }
        return (key[...colon], stage)
    }

    /// Splits a staged key's prefix (ending in `:{date}:`) into the part before the date and the date: the group a
    /// moved deadline keeps (`voucher:{msisdn}:{id}:`) and the deadline.
    public static func splitDeadline(_ prefix: Substring) -> (group: Substring, date: CalendarDate)? {
        let body = prefix.dropLast()
        guard let colon = body.utf8.lastIndex(of: 0x3A), let date = CalendarDate(body[body.index(after: colon)...]) else { return nil }
        return (body[...colon], date)
    }

    /// The last two fields of a key of exactly `fields` non-empty fields, found from the colons' places without
    /// splitting the key (a ledger asks for a million keys a night); `nil` for a key of another shape.
    public static func lastFields(_ key: String, fields: Int) -> (Substring, Substring)? {
        var colons = 0, previous = -1, last = -1
        let u = key.utf8
        for (i, b) in u.enumerated() where b == 0x3A {
            guard i > last + 1 else { return nil }
            colons += 1
            (previous, last) = (last, i)
        }
        guard colons == fields - 1, fields >= 2, last + 1 < u.count else { return nil }
        let start = u.index(u.startIndex, offsetBy: previous + 1), colon = u.index(u.startIndex, offsetBy: last)
        return (key[start..<colon], key[u.index(after: colon)...])
    }

    /// The date before the stage of a staged key of `fields` fields (`…:{date}:{stage}`).
    public static func stagedDeadline(_ key: String, fields: Int) -> CalendarDate? {
        guard let (date, stage) = lastFields(key, fields: fields), Int(stage) != nil else { return nil }
        return CalendarDate(date)
    }
}
