-- The same work as `smsbatch run --dry-run` (SPEC §1–4, §6) as DuckDB SQL, for scripts/bench.
-- Parameters are substituted by scripts/bench: ${DIR} (snapshot folder), ${D} (as-of date), ${OUT} (JSON Lines file).
-- Month-end day: D is the last day of its month, so the summary month M is D's month.
SET threads TO 2;
CREATE TEMP TABLE subs AS
SELECT right(regexp_replace(msisdn, '^\+?86(1[3-9][0-9]{9})$', '\1'), 11) AS m, brand, status, join_date::DATE AS j,
       avg_monthly_spend::DECIMAL(14,2) AS spend, suspensions::INT AS susp, dnd::INT AS dnd
FROM read_csv('${DIR}/subscribers.csv', header = true, all_varchar = true)
WHERE regexp_matches(regexp_replace(msisdn, '^\+?86(1[3-9][0-9]{9})$', '\1'), '^1[3-9][0-9]{9}$');
CREATE TEMP TABLE svc AS
SELECT right(msisdn, 11) AS m, service_code AS code, service_name AS name, monthly_fee::DECIMAL(14,2) AS fee,
       status, NULLIF(trial_end, '')::DATE AS t, after_trial AS after
FROM read_csv('${DIR}/subscriptions.csv', header = true, all_varchar = true);
CREATE TEMP TABLE used AS
SELECT DISTINCT right(msisdn, 11) AS m, service_code AS code
FROM read_csv('${DIR}/usage.csv', header = true, all_varchar = true)
WHERE month = strftime(DATE '${D}', '%Y-%m') AND uses::INT > 0;
CREATE TEMP TABLE pts AS
SELECT right(msisdn, 11) AS m, balance::BIGINT AS balance, expiring::BIGINT AS expiring, clearing_date::DATE AS c
FROM read_csv('${DIR}/points.csv', header = true, all_varchar = true);
CREATE TEMP TABLE vch AS
SELECT right(msisdn, 11) AS m, voucher_id AS id, title, value::DECIMAL(14,2) AS value, code, redeem_by::DATE AS r, status
FROM read_csv('${DIR}/vouchers.csv', header = true, all_varchar = true);

CREATE TEMP TABLE stars AS
SELECT m, brand, dnd, spend,
  CASE WHEN score >= 500 THEN 5 WHEN score >= 400 THEN 4 WHEN score >= 300 THEN 3 WHEN score >= 200 THEN 2
       WHEN score >= 100 THEN 1 ELSE 0 END AS stars
FROM (
  SELECT m, brand, dnd, spend,
    (CASE brand WHEN 'gotone' THEN 50 WHEN '全球通' THEN 50 WHEN 'mzone' THEN 30 WHEN '动感地带' THEN 30 ELSE 20 END)
    + (CASE WHEN y < 1 THEN 0 WHEN y < 2 THEN 50 WHEN y < 3 THEN 150 WHEN y < 4 THEN 200 WHEN y < 5 THEN 250 ELSE 300 END)
    + (CASE WHEN spend <= 20 THEN 0 WHEN spend <= 50 THEN 20 WHEN spend <= 80 THEN 50 WHEN spend <= 120 THEN 100
            WHEN spend <= 200 THEN 150 WHEN spend <= 400 THEN 200 ELSE 250 END)
    - 100 * susp AS score
  FROM (SELECT *, year(DATE '${D}') - year(j) - CASE WHEN (month(DATE '${D}'), day(DATE '${D}')) < (month(j), day(j)) THEN 1 ELSE 0 END AS y FROM subs)
  WHERE status = 'active'
);

CREATE TEMP TABLE trial_items AS
SELECT s.m, v.code, v.name, v.fee, v.t, v.after, (v.t - DATE '${D}') AS d,
       CASE WHEN v.t - DATE '${D}' <= 1 THEN 1 ELSE 7 END AS stage
FROM svc v JOIN stars s USING (m)
WHERE v.status = 'active' AND v.t IS NOT NULL AND v.t - DATE '${D}' BETWEEN 0 AND 7
  AND NOT (v.after = 'renew' AND v.fee = 0);  -- SPEC v2 §3.1: a free service that renews is no notice

CREATE TEMP TABLE msgs AS
SELECT 0 AS r, m, min(t)::VARCHAR AS p1, '' AS p2,
  list_sort(list('trial:' || m || ':' || code || ':' || t || ':' || stage)) AS keys,
  '【中国移动】您好！您使用的' || string_agg(name || '业务免费期至' || month(t) || '月' || day(t) || '日结束，'
     || CASE after WHEN 'renew' THEN strftime(t + 1, '%-m月%-d日') || '起按' || fee::DOUBLE || '元/月收费' ELSE '到期后自动停止' END, '；' ORDER BY t, code)
     || '。如不需要，请发送0000至10086退订。如有疑问，请拨打10086。' AS text
FROM trial_items GROUP BY m
UNION ALL
-- SPEC v2 §3.5: the earliest redeem_by first, then the higher total value; only the code's last 4 characters shown
SELECT 1, v.m, min(r)::VARCHAR, lpad((1000000000000 - sum(value) * 100)::BIGINT::VARCHAR, 16, '0'),
  list_sort(list('voucher:' || v.m || ':' || id || ':' || r || ':' || CASE WHEN r - DATE '${D}' <= 1 THEN 1 ELSE 7 END)),
  '【中国移动】您好！您的' || string_agg(title || '（' || value::DOUBLE || '元，券码尾号' || right(code, 4) || '）将于'
     || month(r) || '月' || day(r) || '日到期', '；' ORDER BY r, id) || '，可到营业厅或中国移动App“卡券”使用，逾期失效。'
FROM vch v JOIN stars s USING (m)
WHERE s.dnd = 0 AND v.status = 'issued' AND v.r - DATE '${D}' BETWEEN 0 AND 7
GROUP BY v.m
UNION ALL
SELECT 2, p.m,
  -- SPEC v2 §3.3: the most urgent stage first, then more points, then higher spend
  lpad(min(CASE WHEN c - DATE '${D}' <= 1 THEN 1 WHEN c - DATE '${D}' <= 7 THEN 7 ELSE 30 END)::VARCHAR, 3, '0')
    || lpad((1000000000000 - sum(expiring))::VARCHAR, 16, '0'),
  lpad((1000000000000 - any_value(s.spend) * 100)::BIGINT::VARCHAR, 16, '0'),
  list_sort(list('points:' || p.m || ':' || c || ':' || CASE WHEN c - DATE '${D}' <= 1 THEN 1 WHEN c - DATE '${D}' <= 7 THEN 7 ELSE 30 END)),
  '【中国移动】您好！您有' || string_agg(expiring || '积分将于' || month(c) || '月' || day(c) || '日到期清零', '，' ORDER BY c)
     || '，请及时兑换，可通过短信、中国移动App或营业厅办理。如有疑问，请拨打10086。'
FROM pts p JOIN stars s USING (m)
WHERE s.dnd = 0 AND p.expiring >= 1 AND p.c - DATE '${D}' BETWEEN 0 AND 30
GROUP BY p.m
UNION ALL
SELECT 3, m, '', '', ['summary:' || m || ':' || strftime(DATE '${D}', '%Y-%m')],
  '【中国移动】您好！截至' || month(DATE '${D}') || '月底，您在用的增值业务有'
     || array_to_string(list_slice(list(name || CASE WHEN t >= DATE '${D}' THEN '（免费试用）' ELSE '' END
          || CASE WHEN u.code IS NULL THEN '（未使用）' ELSE '' END ORDER BY fee DESC, code), 1, 5), '、')
     || CASE WHEN count(*) > 5 THEN '等' || count(*) || '项' ELSE '' END
     || '，收费业务月费合计' || coalesce(sum(fee) FILTER (WHERE t IS NULL OR t < DATE '${D}'), 0)::DOUBLE || '元。发送0000至10086可查询和退订。'
FROM svc v JOIN stars s USING (m) LEFT JOIN used u USING (m, code)
WHERE v.status = 'active' AND s.dnd = 0
GROUP BY m;

COPY (
  SELECT md5(array_to_string(keys, chr(10))) AS id, x.m AS msisdn,
         ['trial-expiry', 'voucher-expiry', 'points-clearing', 'month-end-summary'][r + 1] AS rule, keys, text,
         CASE WHEN length(text) <= 70 THEN 1 ELSE ceil(length(text) / 67) END AS segments, length(text) AS units, s.stars
  FROM msgs x JOIN stars s USING (m)
  ORDER BY r, p1, p2, x.m
) TO '${OUT}' (FORMAT JSON);
