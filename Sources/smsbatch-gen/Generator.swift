import Foundation

/// Writes a realistic, deterministic snapshot directory: `smsbatch-gen --subscribers N --seed S --as-of D --out DIR`.
///
/// Proportions follow real exports: ≈2.2 subscriptions, ≈3 usage rows and ≈0.6 points rows per subscriber; trials
/// around the as-of day, dnd, suspended and closed subscribers, `+86`/`86` prefixes. `--delimiter C` picks the
/// delimiter; the text is UTF-8 (`scripts/gen-data --encoding gb18030` converts it with iconv).
@main
struct Generator {
    static func main() throws {
        var args = CommandLine.arguments.dropFirst()
        var subscribers = 1000, seed: UInt64 = 1, asOf = "2026-11-30", out = "data", delimiter = UInt8(ascii: ",")
        while let flag = args.popFirst() {
            guard let value = args.popFirst() else { usage("\(flag) needs a value") }
            switch flag {
            case "--subscribers": subscribers = Int(value) ?? { usage("--subscribers takes a number") }()
            case "--seed": seed = UInt64(value) ?? { usage("--seed takes a number") }()
            case "--as-of": asOf = value
            case "--out": out = value
            case "--delimiter": delimiter = value.utf8.first ?? delimiter
            default: usage("unknown option \(flag)")
            }
        }
        let parts = asOf.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { usage("--as-of takes YYYY-MM-DD") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var g = Snapshot(asOf: Day(y: parts[0], m: parts[1], d: parts[2]), seed: seed, delimiter: delimiter, out: out)
        try g.write(subscribers: subscribers)
    }

    static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(
            Data("smsbatch-gen: \(message)\nusage: smsbatch-gen --subscribers N --seed S --as-of YYYY-MM-DD --out DIR [--delimiter C]\n".utf8))
        exit(2)
    }
}

/// SplitMix64: small, fast, deterministic.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

struct Day {
    var y: Int, m: Int, d: Int
    var number: Int {
        let yy = m <= 2 ? y - 1 : y
        let era = yy / 400, yoe = yy - era * 400
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }
    init(y: Int, m: Int, d: Int) { self.y = y; self.m = m; self.d = d }
    init(number: Int) {
        let z = number + 719_468, era = z / 146_097, doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
        d = doy - (153 * mp + 2) / 5 + 1
        m = mp < 10 ? mp + 3 : mp - 9
        y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    }
    var text: String { String(format: "%04d-%02d-%02d", y, m, d) }
    var month: String { String(format: "%04d-%02d", y, m) }
    func previousMonth() -> String { m == 1 ? String(format: "%04d-12", y - 1) : String(format: "%04d-%02d", y, m - 1) }
    func monthEnd(after months: Int) -> Day {
        var mm = m + months + 1, yy = y
        while mm > 12 { mm -= 12; yy += 1 }
        return Day(number: Day(y: yy, m: mm, d: 1).number - 1)
    }
}

/// Buffered file output.
struct Sink {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 20)
    }

    mutating func add(_ s: String) {
        buffer += s.utf8
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

struct Snapshot {
    let asOf: Day
    var rng: Random
    /// Vouchers draw from their own generator, so the other files are the same with or without them.
    var voucherRng: Random
    let delimiter: String
    let out: String

    static let services: [(String, String, String)] = [
        ("CAIYIN", "彩铃", "5"), ("YUEDU", "咪咕阅读", "10"), ("SHIPIN", "咪咕视频", "15"), ("YINYUE", "咪咕音乐", "8"),
        ("YOUXI", "和游戏", "6"), ("SHOUJIBAO", "手机报", "3"), ("YUNPAN", "和彩云", "9.9"), ("DAOHANG", "和地图", "2.5"),
        ("ANQUAN", "安全管家", "4"), ("TONGXUNLU", "和通讯录", "0"), ("LAIDIAN", "来电提醒", "2"), ("MIGUQUAN", "咪咕圈圈", "12.5"),
        ("JIAOYU", "和教育", "20"), ("JIANKANG", "和健康", "8.8"), ("CAIXIN", "彩信天气", "3"), ("XINWEN", "新闻早晚报", "5"),
        ("DONGMAN", "咪咕动漫", "6"), ("ZHIBO", "咪咕直播", "18"), ("LVXING", "和旅行", "1"), ("SHANGCHENG", "积分商城会员", "9"),
    ]
    static let voucherTitles = ["充值送话费券", "流量加油包券", "视频会员券", "家庭宽带券", "积分兑换券"]
    static let codeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    static let cities = ["广州", "深圳", "佛山", "东莞", "珠海", "汕头", "惠州", "中山", "江门", "湛江"]

    init(asOf: Day, seed: UInt64, delimiter: UInt8, out: String) {
        self.asOf = asOf
        rng = Random(state: seed &* 0x2545_F491_4F6C_DD1D &+ 1)
        voucherRng = Random(state: seed &* 0x2545_F491_4F6C_DD1D &+ 0x5EED)
        self.delimiter = String(UnicodeScalar(delimiter))
        self.out = out
    }

    mutating func write(subscribers count: Int) throws {
        var subs = try Sink(path: out + "/subscribers.csv")
        var svc = try Sink(path: out + "/subscriptions.csv")
        var use = try Sink(path: out + "/usage.csv")
        var pts = try Sink(path: out + "/points.csv")
        var vch = try Sink(path: out + "/vouchers.csv")
        let d = delimiter
        subs.add(["msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd", "city"].joined(separator: d) + "\n")
        svc.add(["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"].joined(separator: d) + "\n")
        use.add(["msisdn", "service_code", "month", "charge", "uses"].joined(separator: d) + "\n")
        pts.add(["msisdn", "balance", "expiring", "clearing_date"].joined(separator: d) + "\n")
        vch.add(["msisdn", "voucher_id", "title", "value", "code", "redeem_by", "status"].joined(separator: d) + "\n")
        let today = asOf.number, month = asOf.month, previous = asOf.previousMonth()
        for i in 0..<count {
            // A bijection of i onto 9-digit suffixes keeps numbers unique.
            let suffix = (UInt64(i) &* 7_919 &+ 104_729) % 1_000_000_000
            let msisdn = "1\(3 + i % 7)" + String(format: "%09llu", suffix)
            func shown() -> String {
                let r = rng.below(100)
                return r < 8 ? "+86" + msisdn : r < 11 ? "86" + msisdn : msisdn
            }
            let brand = ["gotone", "mzone", "mzone", "easyown", "easyown"][rng.below(5)]
            let s = rng.below(100)
            let status = s < 92 ? "active" : s < 97 ? "suspended" : "closed"
            let joined = Day(number: today - rng.below(15 * 365))
            let spend = rng.chance(0.5) ? rng.below(8_000) : rng.below(60_000)
            let suspensions = rng.chance(0.9) ? 0 : rng.below(4)
            let dnd = rng.chance(0.08) ? "1" : "0"
            subs.add(
                [
                    shown(), brand, status, joined.text, "\(spend / 100).\(String(format: "%02d", spend % 100))",
                    "\(suspensions)", dnd, Self.cities[rng.below(Self.cities.count)],
                ].joined(separator: d) + "\n")
            let n = [0, 1, 1, 2, 2, 2, 3, 3, 4, 5][rng.below(10)]
            var used = Set<Int>()
            for _ in 0..<n {
                let k = rng.below(Self.services.count)
                guard used.insert(k).inserted else { continue }
                let (code, name, fee) = Self.services[k]
                var trial = "", after = ""
                if rng.chance(0.15) {
                    trial = Day(number: today - 10 + rng.below(50)).text
                    after = rng.chance(0.7) ? "renew" : "lapse"
                }
                let active = rng.chance(0.9) ? "active" : "cancelled"
                svc.add([shown(), code, name, fee, active, trial, after].joined(separator: d) + "\n")
                if rng.chance(0.75) { use.add([shown(), code, month, fee, "\(rng.chance(0.2) ? 0 : rng.below(40))"].joined(separator: d) + "\n") }
                if rng.chance(0.6) { use.add([shown(), code, previous, fee, "\(rng.below(40))"].joined(separator: d) + "\n") }
            }
            let p = rng.below(10)
            if p < 4 || p == 9 {
                let balance = rng.below(20_000)
                let expiring = rng.chance(0.1) ? 0 : rng.below(balance + 1)
                pts.add([shown(), "\(balance)", "\(expiring)", asOf.monthEnd(after: rng.below(2)).text].joined(separator: d) + "\n")
                if p == 9 {
                    pts.add([shown(), "\(balance)", "\(rng.below(balance + 1))", asOf.monthEnd(after: 2).text].joined(separator: d) + "\n")
                }
            }
            // ≈18 % hold a recharge-bonus voucher (≈3 % two), to redeem within the next 40 days.
            let v = voucherRng.below(100)
            for n in 0..<(v < 15 ? 1 : v < 18 ? 2 : 0) {
                let title = Self.voucherTitles[voucherRng.below(Self.voucherTitles.count)]
                let code = String((0..<12).map { _ in Self.codeAlphabet[voucherRng.below(Self.codeAlphabet.count)] })
                let status = voucherRng.chance(0.8) ? "issued" : voucherRng.chance(0.5) ? "redeemed" : "void"
                vch.add(
                    [
                        msisdn, "V\(i)-\(n)", title, ["5", "10", "20", "30", "50", "100"][voucherRng.below(6)], code,
                        Day(number: today - 2 + voucherRng.below(42)).text, status,
                    ].joined(separator: d) + "\n")
            }
        }
        subs.flush(); svc.flush(); use.flush(); pts.flush(); vch.flush()
    }
}
