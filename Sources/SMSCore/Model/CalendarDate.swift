/// A calendar day with no time and no zone, as billing exports write it (`YYYY-MM-DD`).
///
/// Arithmetic uses a proleptic Gregorian day number, so day differences are exact and need no `Calendar`.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01; the only stored value, so a date takes four bytes.
    private let days: Int32

    public var year: Int { CalendarDate.civil(Int(days)).year }
    public var month: Int { CalendarDate.civil(Int(days)).month }
    public var day: Int { CalendarDate.civil(Int(days)).day }

    /// Creates a date when the components name a real day, or `nil`.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        days = Int32(CalendarDate.dayNumber(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        // Read in one pass over the bytes, with no copy (a ledger reads a million keys' dates a night).
        var y = 0, m = 0, d = 0, i = 0
        for c in text.utf8 {
            if i == 4 || i == 7 {
                guard c == 0x2D else { return nil }
            } else {
                guard c >= 0x30, c <= 0x39, i < 10 else { return nil }
                let v = Int(c - 0x30)
                if i < 4 { y = y * 10 + v } else if i < 7 { m = m * 10 + v } else { d = d * 10 + v }
            }
            i += 1
        }
        guard i == 10 else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Creates the date of a day number (days since 1970-01-01).
    public init(dayNumber: Int) {
        days = Int32(dayNumber)
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { Int(days) }

    /// Howard Hinnant's days_from_civil.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + n) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int { other.dayNumber - dayNumber }

    /// True on the last day of its month.
    public var isLastDayOfMonth: Bool {
        let c = CalendarDate.civil(Int(days))
        return c.day == CalendarDate.daysIn(month: c.month, year: c.year)
    }

    /// The month this day belongs to.
    public var yearMonth: YearMonth {
        let c = CalendarDate.civil(Int(days))
        return YearMonth(year: c.year, month: c.month)!
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD` as UTF-8 (keys and records write millions of dates).
    public func appendText(to bytes: inout [UInt8]) {
        let c = CalendarDate.civil(Int(days))
        guard (0...9999).contains(c.year) else {
            bytes += (String(format4: c.year) + "-" + String(pad2: c.month) + "-" + String(pad2: c.day)).utf8
            return
        }
        bytes.append(0x30 + UInt8(c.year / 1000))
        bytes.append(0x30 + UInt8(c.year / 100 % 10))
        bytes.append(0x30 + UInt8(c.year / 10 % 10))
        bytes.append(0x30 + UInt8(c.year % 10))
        bytes.append(0x2D)
        bytes.append(0x30 + UInt8(c.month / 10))
        bytes.append(0x30 + UInt8(c.month % 10))
        bytes.append(0x2D)
        bytes.append(0x30 + UInt8(c.day / 10))
        bytes.append(0x30 + UInt8(c.day % 10))
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.days < b.days }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }
}

/// A billing month (`YYYY-MM`).
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: some StringProtocol) {
        var y = 0, m = 0, i = 0
        for c in text.utf8 {
            if i == 4 {
                guard c == 0x2D else { return nil }
            } else {
                guard c >= 0x30, c <= 0x39, i < 7 else { return nil }
                if i < 4 { y = y * 10 + Int(c - 0x30) } else { m = m * 10 + Int(c - 0x30) }
            }
            i += 1
        }
        guard i == 7 else { return nil }
        self.init(year: y, month: m)
    }

    /// The month before this one.
    public var previous: YearMonth {
        month == 1 ? YearMonth(year: year - 1, month: 12)! : YearMonth(year: year, month: month - 1)!
    }

    public var description: String { String(format4: year) + "-" + String(pad2: month) }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

extension String {
    init(pad2 value: Int) { self.init(String(value).leftPadded(to: 2)) }
    init(format4 value: Int) { self.init(String(value).leftPadded(to: 4)) }

    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
