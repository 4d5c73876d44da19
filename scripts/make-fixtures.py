#!/usr/bin/env python3
"""Writes the bundled fixture days under fixtures/ (deterministic; re-run after changing it).

- fixtures/day-2026-11-30/          UTF-8, comma, a month-end day covering every rule, stage, brand, dnd, status
- fixtures/day-2026-11-30-gb18030/  the same data GB18030-encoded, '|'-delimited, +86 numbers, Chinese brands,
                                     shuffled and extra columns, CRLF
- fixtures/vouchers-2026-11-30/     the voucher rule's day (and -gb18030/, the same as a GB18030 '|' export)
- fixtures/bad-rows/                one bad row of each kind
- fixtures/replay/                  a base snapshot for replaying 2026-11-01 → 2027-01-10, with a day folder
                                     2026-12-10/ that moves some trials and extends some vouchers by 7 days
                                     (see scripts/reference.py --to)
"""
import csv, datetime as dt, io, os, random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

SERVICES = {
    "CAIYIN": ("彩铃", "5"), "YUEDU": ("咪咕阅读", "10"), "SHIPIN": ("咪咕视频", "15"),
    "YINYUE": ("咪咕音乐", "8"), "YOUXI": ("和游戏", "6"), "SHOUJIBAO": ("手机报", "3"),
    "YUNPAN": ("和彩云", "9.9"), "DAOHANG": ("和地图", "2.5"), "ANQUAN": ("安全管家", "4"),
    "TONGXUNLU": ("和通讯录", "0"),
}

# msisdn, brand, status, join_date, spend, suspensions, dnd, city
SUBSCRIBERS = [
    ("13800138000", "gotone", "active", "2018-03-15", "450.00", "0", "0", "广州"),
    ("13800138001", "mzone", "active", "2024-11-30", "58", "0", "0", "深圳"),
    ("13800138002", "easyown", "active", "2025-12-01", "20", "0", "0", "佛山"),
    ("13800138003", "gotone", "active", "2020-02-29", "200.5", "1", "0", "东莞"),
    ("13800138004", "mzone", "active", "2023-06-01", "120", "0", "1", "珠海"),
    ("13800138005", "easyown", "suspended", "2019-01-01", "80", "2", "0", "汕头"),
    ("13800138006", "gotone", "closed", "2015-05-05", "300", "0", "0", "广州"),
    ("13900139000", "easyown", "active", "2021-08-08", "35.5", "0", "0", "惠州"),
    ("13900139001", "mzone", "active", "2022-11-30", "400", "0", "0", "中山"),
    ("13900139002", "gotone", "active", "2016-12-01", "401", "0", "1", "江门"),
    ("15000150000", "easyown", "active", "2026-01-15", "12", "0", "0", "湛江"),
    ("15000150001", "gotone", "active", "2022-11-29", "50", "0", "0", "茂名"),
    ("15000150002", "mzone", "active", "2025-11-30", "80.01", "0", "0", "肇庆"),
    ("15000150003", "easyown", "active", "2019-07-20", "150", "3", "0", "梅州"),
    ("18800188000", "gotone", "active", "2012-04-01", "999.99", "0", "0", "广州"),
    ("18800188001", "mzone", "active", "2024-02-29", "45", "0", "0", "深圳"),
    ("18800188002", "easyown", "active", "2023-12-01", "65", "0", "1", "佛山"),
    ("18800188003", "gotone", "active", "2021-11-30", "250", "0", "0", "东莞"),
    ("19800198000", "mzone", "active", "2020-10-10", "30", "1", "0", "珠海"),
    ("19800198001", "easyown", "active", "2018-01-31", "90", "0", "0", "汕头"),
    ("19800198002", "gotone", "suspended", "2017-03-03", "500", "0", "0", "广州"),
    ("17700177000", "easyown", "active", "2025-06-30", "18", "0", "0", "韶关"),
    ("17700177001", "mzone", "active", "2023-03-01", "100", "0", "0", "河源"),
    ("17700177002", "gotone", "active", "2019-11-30", "120", "0", "0", "阳江"),
    ("16600166000", "easyown", "active", "2024-05-20", "25", "0", "0", "清远"),
    ("16600166001", "mzone", "closed", "2022-02-02", "60", "0", "0", "潮州"),
    ("14700147000", "gotone", "active", "2020-12-01", "330", "0", "0", "揭阳"),
    ("14700147001", "easyown", "active", "2026-11-30", "0", "0", "0", "云浮"),
    ("13500135000", "mzone", "active", "2021-01-01", "75", "0", "0", "广州"),
    ("13500135001", "gotone", "active", "2011-11-11", "1500", "0", "0", "深圳"),
    ("13500135002", "easyown", "active", "2017-09-09", "42", "0", "0", "佛山"),
    ("13600136000", "mzone", "active", "2025-02-28", "88", "0", "0", "东莞"),
]

# msisdn, code, status, trial_end, after_trial   (as-of 2026-11-30)
SUBSCRIPTIONS = [
    ("13800138000", "CAIYIN", "active", "2026-12-07", "renew"),   # d=7 stage 7
    ("13800138000", "YUEDU", "active", "2026-12-01", "lapse"),    # d=1 stage 1, same digest
    ("13800138000", "SHIPIN", "active", "", ""),
    ("13800138000", "YUNPAN", "active", "", ""),
    ("13800138001", "YOUXI", "active", "2026-11-30", "renew"),    # d=0 stage 1
    ("13800138001", "YINYUE", "active", "", ""),
    ("13800138002", "SHOUJIBAO", "active", "2026-12-08", "renew"),  # d=8 not due
    ("13800138002", "CAIYIN", "active", "", ""),
    ("13800138003", "SHIPIN", "active", "2026-11-29", "renew"),   # d=-1 not due; paid now
    ("13800138003", "YUEDU", "active", "2026-12-04", "renew"),    # d=4 stage 7
    ("13800138004", "CAIYIN", "active", "2026-12-01", "renew"),   # dnd: trial still sent
    ("13800138004", "YUNPAN", "active", "", ""),
    ("13800138005", "CAIYIN", "active", "2026-12-01", "renew"),   # suspended: nothing
    ("13800138006", "CAIYIN", "active", "2026-12-07", "renew"),   # closed: nothing
    ("13900139000", "CAIYIN", "cancelled", "2026-12-07", "renew"),  # cancelled: nothing
    ("13900139000", "SHOUJIBAO", "active", "", ""),
    ("13900139001", "CAIYIN", "active", "", ""),
    ("13900139001", "YUEDU", "active", "", ""),
    ("13900139001", "SHIPIN", "active", "2026-12-20", "renew"),   # in trial, not due
    ("13900139001", "YINYUE", "active", "", ""),
    ("13900139001", "YOUXI", "active", "", ""),
    ("13900139001", "SHOUJIBAO", "active", "", ""),
    ("13900139001", "YUNPAN", "active", "", ""),
    ("13900139001", "DAOHANG", "active", "", ""),                 # 8 services: 5 named, 等8项
    ("13900139002", "ANQUAN", "active", "", ""),                  # dnd: no summary
    ("15000150000", "TONGXUNLU", "active", "", ""),               # free service only
    ("15000150001", "DAOHANG", "active", "2026-12-07", "lapse"),
    ("15000150002", "YUEDU", "active", "2026-12-02", "renew"),    # d=2 stage 7
    ("15000150002", "SHIPIN", "active", "2026-12-03", "lapse"),
    ("15000150003", "ANQUAN", "cancelled", "", ""),               # no active: no summary
    ("18800188000", "SHIPIN", "active", "2027-01-05", "renew"),   # in trial, next year
    ("18800188000", "YUEDU", "active", "", ""),
    ("18800188001", "YINYUE", "active", "2026-12-06", "renew"),   # d=6 stage 7
    ("18800188003", "CAIYIN", "active", "2026-11-30", "lapse"),   # d=0
    ("18800188003", "YOUXI", "active", "2026-12-07", "renew"),
    ("19800198000", "YUNPAN", "active", "", ""),
    ("19800198001", "CAIYIN", "active", "", ""),
    ("19800198001", "SHOUJIBAO", "active", "", ""),
    ("17700177001", "YOUXI", "active", "2026-12-07", "renew"),
    ("17700177002", "ANQUAN", "active", "", ""),
    ("14700147000", "YUNPAN", "active", "", ""),
    ("13500135001", "SHIPIN", "active", "", ""),
    ("13500135001", "YUEDU", "active", "", ""),
    ("13500135002", "TONGXUNLU", "active", "2026-12-01", "renew"),
    ("13600136000", "CAIYIN", "active", "2026-12-05", "renew"),
    ("13700137000", "CAIYIN", "active", "2026-12-07", "renew"),   # orphan
]

# msisdn, code, month, charge, uses
USAGE = [
    ("13800138000", "SHIPIN", "2026-11", "15", "12"),
    ("13800138000", "YUNPAN", "2026-11", "9.9", "0"),             # uses 0: unused
    ("13800138001", "YINYUE", "2026-11", "8", "3"),
    ("13900139001", "CAIYIN", "2026-11", "5", "1"),
    ("13900139001", "YUEDU", "2026-10", "10", "5"),               # other month: unused in Nov
    ("18800188000", "YUEDU", "2026-11", "10", "7"),
    ("19800198001", "CAIYIN", "2026-11", "5", "2"),
    ("13500135001", "SHIPIN", "2026-11", "15", "30"),
    ("13700137001", "CAIYIN", "2026-11", "5", "1"),               # orphan
]

# msisdn, balance, expiring, clearing_date
POINTS = [
    ("13800138000", "12000", "3000", "2026-12-31"),   # d=31 not due
    ("13800138000", "12000", "1500", "2026-12-30"),   # d=30 stage 30
    ("13800138001", "800", "800", "2026-12-07"),      # d=7
    ("13800138002", "300", "120", "2026-12-01"),      # d=1
    ("13800138003", "5000", "2000", "2026-11-30"),    # d=0 stage 1
    ("13800138004", "900", "900", "2026-12-07"),      # dnd: none
    ("13800138005", "700", "700", "2026-12-07"),      # suspended
    ("13900139000", "100", "0", "2026-12-07"),        # nothing expiring
    ("13900139001", "2000", "2000", "2026-12-15"),    # d=15 stage 30
    ("15000150000", "2000", "2000", "2026-12-15"),    # tie on points with 13900139001: spend decides
    ("15000150003", "60", "60", "2026-11-29"),        # d=-1 not due
    ("18800188000", "50000", "10000", "2026-12-01"),  # the most points: first
    ("18800188000", "50000", "5000", "2026-12-25"),   # second item of the same digest
    ("18800188002", "400", "400", "2026-12-01"),      # dnd
    ("19800198000", "1000", "1000", "2026-12-07"),
    ("17700177000", "1000", "1000", "2026-12-07"),    # tie with 19800198000 on points and spend? spend differs
    ("16600166000", "250", "250", "2026-12-10"),
    ("13500135000", "3000", "3000", "2027-01-20"),    # d=51 not due
    ("13600136000", "500", "500", "2026-12-30"),
    ("13700137002", "100", "100", "2026-12-07"),      # orphan
]

# msisdn, voucher_id, title, value, code, redeem_by, status   (SPEC v2 §3.5; as-of 2026-11-30)
VOUCHERS = [
    ("13800138000", "V1001", "充值送话费券", "50", "GZ8F3KQ2M7X9", "2026-12-07", "issued"),    # d=7 stage 7
    ("13800138000", "V1002", "流量加油包券", "10", "GZ5T7Y1U3I8O", "2026-12-01", "issued"),    # d=1 stage 1, same digest
    ("13800138001", "V2001", "视频会员券", "15", "SZ2W4E6R8T0Y", "2026-11-30", "issued"),      # today
    ("13800138002", "V3001", "话费券", "20", "FS1Q2W3E4R5T", "2026-12-01", "redeemed"),       # redeemed: nothing
    ("13800138002", "V3002", "话费券", "20", "FS6Y7U8I9O0P", "2026-12-01", "void"),           # void: nothing
    ("13800138002", "V3003", "话费券", "20", "FS1A2S3D4F5G", "2026-12-08", "issued"),         # d=8 not due
    ("13800138004", "V4001", "话费券", "5", "ZH9H8J7K6L5Z", "2026-12-01", "issued"),          # dnd: nothing
    ("13800138005", "V5001", "话费券", "5", "ST1X2C3V4B5N", "2026-12-01", "issued"),          # suspended: nothing
    ("13900139000", "V6001", "家庭宽带券", "100", "HZ0M9N8B7V6C", "2026-12-07", "issued"),    # d=7
    ("15000150001", "V7001", "咪咕券", "8.8", "AB12", "2026-12-03", "issued"),                # short code: tail "12"
    ("18800188000", "V8001", "积分兑换券", "30", "GZ4R5T6Y7U8I", "2026-12-01", "issued"),     # ties on R: lower value later
    ("13700137003", "V9001", "话费券", "5", "XX1X2X3X4X5X", "2026-12-01", "issued"),          # orphan
]

def write(path, header, rows, delimiter=",", newline="\n", encoding="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))

def main():
    day = os.path.join(ROOT, "day-2026-11-30")
    os.makedirs(day, exist_ok=True)
    write(os.path.join(day, "subscribers.csv"),
          ["msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd", "city"], SUBSCRIBERS)
    write(os.path.join(day, "subscriptions.csv"),
          ["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"],
          [(m, c, SERVICES[c][0], SERVICES[c][1], s, t, a) for m, c, s, t, a in SUBSCRIPTIONS])
    write(os.path.join(day, "usage.csv"), ["msisdn", "service_code", "month", "charge", "uses"], USAGE)
    write(os.path.join(day, "points.csv"), ["msisdn", "balance", "expiring", "clearing_date"], POINTS)

    # The same day as a billing system exports it: GB18030, '|', CRLF, +86/86 prefixes, Chinese brand
    # names, columns shuffled, an extra column, a quoted field holding the delimiter.
    gb = os.path.join(ROOT, "day-2026-11-30-gb18030")
    os.makedirs(gb, exist_ok=True)
    brand_cn = {"gotone": "全球通", "mzone": "动感地带", "easyown": "神州行"}
    rng = random.Random(7)
    def prefixed(m):
        return rng.choice(["+86" + m, "86" + m, m])
    subs = [(d, brand_cn[b], prefixed(m), s, j, sp, su, c, "导出") for m, b, s, j, sp, su, d, c in SUBSCRIBERS]
    write(os.path.join(gb, "subscribers.csv"),
          ["dnd", "brand", "msisdn", "status", "join_date", "avg_monthly_spend", "suspensions", "city", "source"],
          subs, delimiter="|", newline="\r\n", encoding="gb18030")
    write(os.path.join(gb, "subscriptions.csv"),
          ["service_name", "msisdn", "service_code", "status", "monthly_fee", "trial_end", "after_trial"],
          [(SERVICES[c][0], prefixed(m), c, s, SERVICES[c][1], t, a) for m, c, s, t, a in SUBSCRIPTIONS],
          delimiter="|", newline="\r\n", encoding="gb18030")
    write(os.path.join(gb, "usage.csv"), ["uses", "month", "charge", "service_code", "msisdn"],
          [(u, mo, ch, c, prefixed(m)) for m, c, mo, ch, u in USAGE], delimiter="|", newline="\r\n", encoding="gb18030")
    write(os.path.join(gb, "points.csv"), ["clearing_date", "expiring", "balance", "msisdn"],
          [(cd, e, b, prefixed(m)) for m, b, e, cd in POINTS], delimiter="|", newline="\r\n", encoding="gb18030")

    bad = os.path.join(ROOT, "bad-rows")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "subscribers.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\ufeffmsisdn,brand,status,join_date,avg_monthly_spend,suspensions,dnd\n"
                "13800138000,gotone,active,2018-03-15,450,0,0\n"
                "12345,gotone,active,2018-03-15,450,0,0\n"            # line 3: msisdn
                "13800138001,unicom,active,2018-03-15,450,0,0\n"      # line 4: brand
                "13800138002,mzone,active,2023-02-29,45,0,0\n"        # line 5: join_date
                "13800138003,mzone,active,2023-02-28,45.123,0,0\n"    # line 6: avg_monthly_spend
                "13800138004,mzone,active,2023-02-28,45,-1,0\n"       # line 7: suspensions
                "13800138005,mzone,active,2023-02-28,45,0,2\n"        # line 8: dnd
                "+8613800138000,gotone,active,2018-03-15,450,0,0\n"   # line 9: repeated key
                "13800138006,mzone,active,2023-02-28,45,0\n"          # line 10: too few fields
                "\"13800138007\",\"easyown\",\"active\",\"2023-01-01\",\"5\",\"0\",\"0\"\n")
    with open(os.path.join(bad, "subscriptions.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("msisdn,service_code,service_name,monthly_fee,status,trial_end,after_trial\n"
                "13800138000,CAIYIN,彩铃,5,active,2026-12-07,\n"                 # line 2: after_trial required
                "13800138000,YUEDU,\"阅读, 精选\",10,active,,renew\n"           # line 3: after_trial must be empty
                "13800138007,YUEDU,\"多行\n名称\",10,paused,,\n")               # line 4-5: status
    with open(os.path.join(bad, "points.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("msisdn,balance,expiring,clearing_date\n"
                "13800138000,100,50,2026-12-07\n"
                "13800138000,100,50,2026-12-07\n"     # line 3: repeated key
                "13800138007,1.5,0,2026-12-07\n")     # line 4: balance

def vouchers():
    """The voucher rule's day (SPEC v2 §3.5): the same subscribers, their vouchers, no other notices; and the same day
    as a GB18030, '|'-delimited export with shuffled columns and +86 numbers."""
    day = os.path.join(ROOT, "vouchers-2026-11-30")
    os.makedirs(day, exist_ok=True)
    write(os.path.join(day, "subscribers.csv"),
          ["msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd", "city"], SUBSCRIBERS)
    write(os.path.join(day, "subscriptions.csv"),
          ["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"], [])
    write(os.path.join(day, "points.csv"), ["msisdn", "balance", "expiring", "clearing_date"], [])
    write(os.path.join(day, "vouchers.csv"), ["msisdn", "voucher_id", "title", "value", "code", "redeem_by", "status"], VOUCHERS)
    gb = os.path.join(ROOT, "vouchers-2026-11-30-gb18030")
    os.makedirs(gb, exist_ok=True)
    rng = random.Random(11)
    def prefixed(m):
        return rng.choice(["+86" + m, "86" + m, m])
    write(os.path.join(gb, "subscribers.csv"),
          ["dnd", "brand", "msisdn", "status", "join_date", "avg_monthly_spend", "suspensions", "city"],
          [(d, b, prefixed(m), st, j, sp, su, c) for m, b, st, j, sp, su, d, c in SUBSCRIBERS],
          delimiter="|", newline="\r\n", encoding="gb18030")
    write(os.path.join(gb, "subscriptions.csv"),
          ["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"], [],
          delimiter="|", newline="\r\n", encoding="gb18030")
    write(os.path.join(gb, "points.csv"), ["msisdn", "balance", "expiring", "clearing_date"], [],
          delimiter="|", newline="\r\n", encoding="gb18030")
    write(os.path.join(gb, "vouchers.csv"), ["status", "redeem_by", "code", "title", "msisdn", "value", "voucher_id", "channel"],
          [(st, r, c, t, prefixed(m), v, i, "充值送") for m, i, t, v, c, r, st in VOUCHERS],
          delimiter="|", newline="\r\n", encoding="gb18030")

def hostile():
    """Service names a billing system should never export, but might: markup, quotes, emoji, a link."""
    d = os.path.join(ROOT, "hostile")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "subscribers.csv"),
          ["msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd"],
          [("13800138000", "gotone", "active", "2018-03-15", "450", "0", "0"),
           ("13900139000", "mzone", "active", "2024-01-15", "60", "0", "0"),
           ("15000150000", "easyown", "active", "2020-06-01", "30", "0", "0")])
    write(os.path.join(d, "subscriptions.csv"),
          ["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"],
          [("13800138000", "XSS", '<script>alert("pwned")</script>', "5", "active", "2026-12-07", "renew"),
           ("13800138000", "IMG", "<img src=x onerror=alert(1)>", "3", "active", "", ""),
           ("13900139000", "AMP", "O'Brien & \"Co\" </td></tr></table>", "8", "active", "2026-12-01", "lapse"),
           ("13900139000", "EMOJI", "🎵音乐包", "6", "active", "", ""),
           ("15000150000", "LINK", "详情见www.example.com", "2", "active", "", "")])
    write(os.path.join(d, "points.csv"), ["msisdn", "balance", "expiring", "clearing_date"],
          [("15000150000", "500", "500", "2026-12-07")])

def replay():
    rng = random.Random(2026)
    vrng = random.Random(1210)
    base = os.path.join(ROOT, "replay")
    os.makedirs(base, exist_ok=True)
    brands = ["gotone", "mzone", "easyown"]
    codes = sorted(SERVICES)
    subs, services, usage, points, vouchers = [], [], [], [], []
    start = dt.date(2026, 11, 1)
    for i in range(40):
        m = "1%d%09d" % (3 + i % 7, 100000000 + i * 7919)
        status = "active" if i % 13 else ("suspended" if i % 2 else "closed")
        subs.append((m, brands[i % 3], status, (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4300))).isoformat(),
                     "%d.%02d" % (rng.randrange(450), rng.randrange(100)), str(int(i % 11 == 0)), str(int(i % 9 == 4)), "广州"))
        for code in rng.sample(codes, rng.randrange(0, 5)):
            trial, after = "", ""
            if rng.random() < 0.5:
                trial = (start + dt.timedelta(days=rng.randrange(-5, 80))).isoformat()
                after = rng.choice(["renew", "lapse"])
            services.append((m, code, SERVICES[code][0], SERVICES[code][1], "active" if rng.random() < 0.9 else "cancelled", trial, after))
            for month in ("2026-11", "2026-12"):
                if rng.random() < 0.5:
                    usage.append((m, code, month, SERVICES[code][1], str(rng.randrange(0, 4))))
        # Vouchers draw from their own generator, so the other files stay as they were before vouchers came.
        for n in range(vrng.randrange(0, 3)):
            vouchers.append((m, "R%02d%d" % (i, n), vrng.choice(["充值送话费券", "流量加油包券", "视频会员券"]), vrng.choice(["5", "10", "20", "50"]),
                             "".join(vrng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(12)),
                             (start + dt.timedelta(days=vrng.randrange(0, 70))).isoformat(), vrng.choice(["issued"] * 4 + ["redeemed"])))
        for clearing in ("2026-11-30", "2026-12-31", "2027-01-31"):
            if rng.random() < 0.4:
                e = rng.choice([0, 50, 300, 1200, 5000])
                points.append((m, str(e + rng.randrange(1000)), str(e), clearing))
    subs_h = ["msisdn", "brand", "status", "join_date", "avg_monthly_spend", "suspensions", "dnd", "city"]
    sv_h = ["msisdn", "service_code", "service_name", "monthly_fee", "status", "trial_end", "after_trial"]
    def write_day(folder, svc, vch):
        os.makedirs(folder, exist_ok=True)
        write(os.path.join(folder, "subscribers.csv"), subs_h, subs)
        write(os.path.join(folder, "subscriptions.csv"), sv_h, svc)
        write(os.path.join(folder, "usage.csv"), ["msisdn", "service_code", "month", "charge", "uses"], usage)
        write(os.path.join(folder, "points.csv"), ["msisdn", "balance", "expiring", "clearing_date"], points)
        write(os.path.join(folder, "vouchers.csv"), ["msisdn", "voucher_id", "title", "value", "code", "redeem_by", "status"], vch)
    write_day(base, services, vouchers)
    # On 2026-12-10 a corrected export moves trials ending 12-12…12-31 to end the next day.
    moved = []
    for row in services:
        row = list(row)
        if row[5] and "2026-12-12" <= row[5] <= "2026-12-31":
            row[5] = "2026-12-11"
        moved.append(tuple(row))
    # ... and extends by 7 days (延期7天) the vouchers to be redeemed by 12-04…12-12 (some already past): the notices
    # due that day say so.
    extended = []
    for row in vouchers:
        row = list(row)
        if "2026-12-04" <= row[5] <= "2026-12-12":
            row[5] = (dt.date.fromisoformat(row[5]) + dt.timedelta(days=7)).isoformat()
        extended.append(tuple(row))
    write_day(os.path.join(base, "2026-12-10"), moved, extended)

if __name__ == "__main__":
    main()
    vouchers()
    hostile()
    replay()
