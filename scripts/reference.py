#!/usr/bin/env python3
"""An independent reading of SPEC.md §1–3 in plain Python, for cross-checking smsbatch.

Prints one JSON line per message: msisdn, rule, keys (sorted), stars — in send order (§3.4).
Usage: scripts/reference.py DIR AS_OF [--encoding gb18030] [--delimiter '|'] [--history FILE_OF_KEYS]
       scripts/reference.py DIR FROM --to TO     (a replay: every day in order, DIR/YYYY-MM-DD/ overriding DIR,
                                                 each day's keys added to the history; lines carry "day")
Bad rows are skipped (not reported): use it on clean data.
"""
import argparse, calendar, csv, datetime as dt, io, json, re, sys

MSISDN = re.compile(r"^1[3-9]\d{9}$")
BRANDS = {"gotone": 50, "mzone": 30, "easyown": 20, "全球通": 50, "动感地带": 30, "神州行": 20}
BRAND_CODE = {"全球通": "gotone", "动感地带": "mzone", "神州行": "easyown"}

def norm(m):
    m = m.strip()
    if len(m) == 14 and m.startswith("+86"): m = m[3:]
    elif len(m) == 13 and m.startswith("86"): m = m[2:]
    return m if MSISDN.match(m) else None

def rows(path, enc, delim):
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        return []
    text = data.decode("gb18030" if enc == "gb18030" else "utf-8-sig")
    r = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header = [h.strip().lower() for h in next(r)]
    return [dict(zip(header, [f.strip() for f in row])) for row in r if any(f.strip() for f in row)]

def cents(s): return round(float(s) * 100)

def years(j, d):
    y = d.year - j.year
    if (d.month, d.day) < (j.month, j.day): y -= 1
    return y

def stars(s, d):
    y = years(s["join"], d)
    tenure = 0 if y < 1 else 50 if y < 2 else 150 if y < 3 else 200 if y < 4 else 250 if y < 5 else 300
    sp = s["spend"]
    spend = 0 if sp <= 2000 else 20 if sp <= 5000 else 50 if sp <= 8000 else 100 if sp <= 12000 else 150 if sp <= 20000 else 200 if sp <= 40000 else 250
    score = BRANDS[s["brand"]] + tenure + spend - 100 * s["susp"]
    return 5 if score >= 500 else 4 if score >= 400 else 3 if score >= 300 else 2 if score >= 200 else 1 if score >= 100 else 0

def stage(d, stages):
    if d < 0 or d > max(stages): return None
    return min(s for s in stages if s >= d)

def plan(directory, D, hist, a):
    a.dir = directory
    def covered(prefix, st):
        return any(k.startswith(prefix) and int(k[len(prefix):]) <= st for k in hist)
    subs = {}
    for r in rows(f"{a.dir}/subscribers.csv", a.encoding, a.delimiter):
        m = norm(r["msisdn"])
        if m is None or m in subs: continue
        subs[m] = dict(brand=r["brand"], status=r["status"].lower(), join=dt.date.fromisoformat(r["join_date"]),
                       spend=cents(r["avg_monthly_spend"]), susp=int(r["suspensions"]), dnd=r["dnd"] == "1")
    svc = {}
    for r in rows(f"{a.dir}/subscriptions.csv", a.encoding, a.delimiter):
        m = norm(r["msisdn"])
        if m not in subs: continue
        svc.setdefault(m, []).append(dict(code=r["service_code"], fee=cents(r["monthly_fee"]), status=r["status"].lower(),
                                          trial=dt.date.fromisoformat(r["trial_end"]) if r["trial_end"] else None,
                                          after=r["after_trial"].lower()))
    pts = {}
    for r in rows(f"{a.dir}/points.csv", a.encoding, a.delimiter):
        m = norm(r["msisdn"])
        if m not in subs: continue
        pts.setdefault(m, []).append(dict(exp=int(r["expiring"]), date=dt.date.fromisoformat(r["clearing_date"])))
    vch = {}
    for r in rows(f"{a.dir}/vouchers.csv", a.encoding, a.delimiter):
        m = norm(r["msisdn"])
        if m not in subs: continue
        vch.setdefault(m, []).append(dict(id=r["voucher_id"], value=cents(r["value"]), status=r["status"].lower(),
                                          date=dt.date.fromisoformat(r["redeem_by"])))
    last = calendar.monthrange(D.year, D.month)[1]
    if D.day == last: M = (D.year, D.month)
    elif D.day <= 3: M = (D.year - 1, 12) if D.month == 1 else (D.year, D.month - 1)
    else: M = None
    out = []
    for m, s in subs.items():
        if s["status"] != "active": continue
        st = stars(s, D)
        keys, first_t = [], None
        for x in svc.get(m, []):
            if x["status"] != "active" or x["trial"] is None: continue
            if x["after"] == "renew" and x["fee"] == 0: continue  # SPEC v2 §3.1: changes nothing, no notice
            g = stage((x["trial"] - D).days, [7, 1])
            if g is None: continue
            prefix = f"trial:{m}:{x['code']}:{x['trial']}:"
            if covered(prefix, g): continue
            keys.append(prefix + str(g)); first_t = min(first_t or x["trial"], x["trial"])
        if keys: out.append((0, (first_t.toordinal(), 0, 0), m, sorted(keys), st))
        if not s["dnd"]:  # SPEC v2 §3.5: vouchers respect dnd
            keys, value, first_r = [], 0, None
            for v in vch.get(m, []):
                if v["status"] != "issued": continue
                g = stage((v["date"] - D).days, [7, 1])
                if g is None: continue
                prefix = f"voucher:{m}:{v['id']}:{v['date']}:"
                if covered(prefix, g): continue
                keys.append(prefix + str(g)); value += v["value"]; first_r = min(first_r or v["date"], v["date"])
            if keys: out.append((1, (first_r.toordinal(), -value, 0), m, sorted(keys), st))
        if not s["dnd"]:
            keys, total, urgent = [], 0, None
            for p in pts.get(m, []):
                if p["exp"] < 1: continue
                g = stage((p["date"] - D).days, [30, 7, 1])
                if g is None: continue
                prefix = f"points:{m}:{p['date']}:"
                if covered(prefix, g): continue
                keys.append(prefix + str(g)); total += p["exp"]; urgent = g if urgent is None else min(urgent, g)
            if keys: out.append((2, (urgent, -total, -s["spend"]), m, sorted(keys), st))  # SPEC v2 §3.3
            if M and any(x["status"] == "active" for x in svc.get(m, [])):
                k = f"summary:{m}:{M[0]:04d}-{M[1]:02d}"
                if k not in hist: out.append((3, (0, 0, 0), m, [k], st))
    out.sort(key=lambda t: (t[0], t[1], t[2]))
    rules = ["trial-expiry", "voucher-expiry", "points-clearing", "month-end-summary"]
    return [{"msisdn": m, "rule": rules[r], "keys": keys, "stars": st} for r, _, m, keys, st in out]

def main():
    import os
    ap = argparse.ArgumentParser()
    ap.add_argument("dir"); ap.add_argument("as_of")
    ap.add_argument("--encoding", default="utf-8"); ap.add_argument("--delimiter", default=",")
    ap.add_argument("--history"); ap.add_argument("--to")
    a = ap.parse_args()
    D = dt.date.fromisoformat(a.as_of)
    hist = set(open(a.history).read().split()) if a.history else set()
    base = a.dir
    if not a.to:
        for rec in plan(base, D, hist, a):
            print(json.dumps(rec, ensure_ascii=False))
        return
    end = dt.date.fromisoformat(a.to)
    while D <= end:
        folder = os.path.join(base, D.isoformat())
        for rec in plan(folder if os.path.isdir(folder) else base, D, hist, a):
            hist.update(rec["keys"])
            print(json.dumps(dict(day=D.isoformat(), **rec), ensure_ascii=False))
        D += dt.timedelta(days=1)

if __name__ == "__main__":
    main()
