import SMSCore

/// One self-contained, print-friendly HTML page: inline CSS, no scripts, nothing loaded from elsewhere, no links.
/// Every number is masked and every value from the data escaped.
public enum PreviewPage {
    public static func render(_ r: PreviewReport) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>smsbatch preview \(r.asOf)</title>
            <style>\(css)</style></head><body>
            <h1>短信预览 · smsbatch preview <span class="day">\(r.asOf)</span></h1>
            <p class="lead"><b id="total-messages">\(r.messages)</b> messages · <b>\(r.segments)</b> segments ·
            estimated cost <b>\(HTML.escape(r.costText))</b> · dry run: nothing was recorded or sent.</p>
            <p class="lead">plan <code id="plan-digest">\(r.digest)</code> · to send exactly these messages under the approval
            gate: <code>smsbatch approve --plan \(r.digest) --by NAME</code></p>
            <section><h2>Messages per rule</h2><table class="rules"><tr><th>rule</th><th>名称</th><th>messages</th><th>items by stage</th></tr>
            """
        for type in r.registry.rules {
            let rule = type.kind
            let stages = (r.byStage[rule] ?? [:]).sorted { $0.key < $1.key }
                .map { "\(HTML.escape($0.key)): \($0.value)" }.joined(separator: " · ")
            h += "<tr id=\"rule-\(rule.rawValue)\"><td>\(rule.rawValue)</td><td>\(HTML.escape(type.title))</td>"
            h += "<td class=\"n\" data-rule=\"\(rule.rawValue)\">\(r.byRule[rule] ?? 0)</td><td>\(stages)</td></tr>\n"
        }
        h += "</table></section>\n<section class=\"grid\"><div><h2>Per brand</h2><table>"
        for brand in Brand.allCases {
            h += "<tr><td>\(brand.chineseName) (\(brand.rawValue))</td><td class=\"n\">\(r.byBrand[brand] ?? 0)</td></tr>"
        }
        h += "</table></div><div><h2>Per star level (客户星级)</h2><table>"
        for stars in (0...5).reversed() {
            h +=
                "<tr><td>\(String(repeating: "★", count: stars))\(String(repeating: "☆", count: 5 - stars)) \(stars)</td><td class=\"n\">\(r.byStars[stars] ?? 0)</td></tr>"
        }
        h += "</table></div><div><h2>Left out</h2><table>"
        for (reason, count) in r.suppressed {
            h += "<tr><td>\(HTML.escape(reason))</td><td class=\"n\">\(count)</td></tr>"
        }
        h += "</table></div><div><h2>Points at stake (积分清零)</h2><table><tr><th>stage</th><th>待清零客户数</th><th>待清零积分数</th></tr>"
        for stage in r.pointsAtStake.keys.sorted() {
            let stake = r.pointsAtStake[stage]!
            h +=
                "<tr><td>\(stage)天</td><td class=\"n\" data-stage-subscribers=\"\(stage)\">\(stake.subscribers)</td><td class=\"n\" data-stage-points=\"\(stage)\">\(stake.points)</td></tr>"
        }
        h += "</table></div></section>\n<section><h2>Segments per message</h2><table class=\"histogram\">"
        let widest = max(1, r.histogram.values.max() ?? 1)
        for (segments, count) in r.histogram.sorted(by: { $0.key < $1.key }) {
            let width = max(1, count * 100 / widest)
            h += "<tr><td>\(segments) 条</td><td class=\"bar\"><span style=\"width:\(width)%\"></span></td><td class=\"n\">\(count)</td></tr>"
        }
        h += "</table></section>\n<section><h2>Template variants used</h2><div class=\"phones\">"
        for v in r.variants {
            h += """
                <figure class="phone"><figcaption><b>\(HTML.escape(v.name))</b> · \(v.count) messages</figcaption>
                <div class="bubble">\(HTML.escape(v.sample.text))</div>
                <p class="meta">\(Msisdn.mask(v.sample.msisdn)) · ★\(v.sample.stars) · \(v.sample.units) 字 · \(v.sample.segments) 条</p></figure>
                """
        }
        h += "</div></section>\n<section><h2>Flagged messages (\(r.flaggedCount))</h2>"
        if r.flagged.isEmpty {
            h +=
                "<p>None: every text fits in \(PreviewReport.segmentFlag) segments, under \(PreviewReport.lengthFlag) characters, with no empty field.</p>"
        } else {
            h += "<table class=\"flagged\"><tr><th>number</th><th>rule</th><th>why</th><th>text</th></tr>"
            for f in r.flagged {
                h += "<tr><td>\(Msisdn.mask(f.message.msisdn))</td><td>\(f.message.rule.rawValue)</td>"
                h += "<td>\(HTML.escape(f.reasons.joined(separator: "; ")))</td><td>\(HTML.escape(f.message.text))</td></tr>"
            }
            h += "</table>"
            if r.flaggedCount > r.flagged.count { h += "<p>… and \(r.flaggedCount - r.flagged.count) more.</p>" }
        }
        h += "</section>\n<footer>smsbatch · numbers are masked · generated for review, not for delivery</footer></body></html>\n"
        return h
    }

    static let css = """
        body{font:15px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
        h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.1em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
        .day{color:#666;font-weight:normal}.lead{font-size:1.05em}
        table{border-collapse:collapse;margin:.4em 0}td,th{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .grid{display:flex;flex-wrap:wrap;gap:2em}.grid h2{margin-top:.6em}
        .histogram td.bar{width:20em}.histogram span{display:block;height:.9em;background:#4a7bd0}
        .phones{display:flex;flex-wrap:wrap;gap:1.2em}
        .phone{width:17em;margin:0;border:1px solid #bbb;border-radius:1.4em;padding:1em .9em;background:#f7f7f9;break-inside:avoid}
        .phone figcaption{font-size:.85em;color:#555;margin-bottom:.6em;word-break:break-all}
        .bubble{background:#fff;border:1px solid #ddd;border-radius:1em 1em 1em .2em;padding:.6em .8em;white-space:pre-wrap;word-break:break-word}
        .meta{font-size:.8em;color:#666;margin:.5em 0 0}
        .flagged td{font-size:.9em}footer{margin-top:3em;color:#888;font-size:.8em}
        @media print{body{margin:0;max-width:none}.phone{background:#fff}.histogram span{background:#000;print-color-adjust:exact;-webkit-print-color-adjust:exact}}
        """
}
