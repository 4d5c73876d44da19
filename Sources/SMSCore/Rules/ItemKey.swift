/// Item keys (SPEC §3): what the ledger remembers so that nothing is sent twice.
public enum ItemKey {
    /// `trial:{msisdn}:{service_code}:{T}:` — a stage number follows.
    public static func trialPrefix(msisdn: String, serviceCode: String, trialEnd: CalendarDate) -> String {
        "trial:\(msisdn):\(serviceCode):\(trialEnd):"
    }

    /// `points:{msisdn}:{C}:` — a stage number follows.
    public static func pointsPrefix(msisdn: String, clearingDate: CalendarDate) -> String {
        "points:\(msisdn):\(clearingDate):"
    }

    /// `summary:{msisdn}:{YYYY-MM}`.
    public static func summary(msisdn: String, month: YearMonth) -> String {
        summary(msisdn: msisdn, monthText: month.description)
    }

    /// The same with the month already written `YYYY-MM` (a rule writes it once, not once per subscriber).
    public static func summary(msisdn: String, monthText: String) -> String {
        var key = "summary:"
        key.reserveCapacity(9 + msisdn.utf8.count + monthText.utf8.count)
        key += msisdn
        key += ":"
        key += monthText
        return key
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
        let parts = key.split(separator: ":")
        switch parts.first {
        case "trial" where parts.count == 5: return CalendarDate(parts[3])
        case "points" where parts.count == 4: return CalendarDate(parts[2])
        case "summary" where parts.count == 3:
            guard let month = YearMonth(parts[2]),
                  let first = CalendarDate(year: month.year, month: month.month, day: 1) else { return nil }
            let lastDay = first.adding(days: CalendarDate.daysIn(month: month.month, year: month.year) - 1)
            return lastDay.adding(days: graceDays)
        default: return nil
        }
    }
}
