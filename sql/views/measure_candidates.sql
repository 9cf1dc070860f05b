-- measure_candidates: the things in the pipeline of a count goal — applied for but not yet counted —
-- with the dates they entered and left it. A candidate is in the pipeline at a month-end d when
-- entered_on <= d and (left_on IS NULL OR left_on > d). The small-target status (ipmetrics/core/
-- outlook.py) shows them as "在途" beside the gap: names, not a forecast.
--
-- A repeatable view, re-created by the store whenever this file changes; one branch per measure that has
-- a pipeline. record_key names the record the candidate will become where one exists.
CREATE VIEW measure_candidates AS
-- A named GI brand (article 五) from its filing until it is registered or rejected. A brand the
-- 品牌培育 list marks registered stays a candidate until its trademark row (matched by registration number)
-- arrives, since only trademark rows count towards the goal.
SELECT 'gi_marks' AS measure, b.region_code, b.name AS candidate, b.reg_no AS record_key,
       b.filed_on AS entered_on,
       CASE WHEN b.rejected_on IS NOT NULL THEN b.rejected_on
            WHEN b.registered_on IS NOT NULL AND t.reg_no IS NOT NULL THEN
                 CASE WHEN t.registered_on > b.registered_on THEN t.registered_on ELSE b.registered_on END
            ELSE CAST(NULL AS DATE) END AS left_on,
       CASE WHEN b.rejected_on IS NOT NULL THEN '已驳回'
            WHEN b.registered_on IS NOT NULL AND t.reg_no IS NULL THEN '已注册，商标记录未导入'
            WHEN b.registered_on IS NOT NULL THEN '已注册'
            WHEN b.published_on IS NOT NULL THEN '已初审公告'
            WHEN b.accepted_on IS NOT NULL THEN '已受理'
            ELSE '已申请' END AS stage
  FROM brands b
  LEFT JOIN trademarks t ON t.reg_no = b.reg_no AND t.is_gi
 WHERE b.brand_type = 'gi' AND b.filed_on IS NOT NULL
UNION ALL
-- A firm that applied (or was recommended) for a national or provincial designation (article 六), from
-- its application until designated (migration 013). No refusal is recorded: a firm turned down stays
-- in the pipeline until its application date is cleared.
SELECT 'national_ip_enterprises', region_code, name, credit_code, national_ip_applied_on, national_ip_on,
       CASE WHEN national_ip_on IS NOT NULL THEN '已认定' ELSE '已申报' END
  FROM enterprises WHERE national_ip_applied_on IS NOT NULL
UNION ALL
SELECT 'provincial_ip_enterprises', region_code, name, credit_code, provincial_strong_applied_on,
       provincial_strong_on, CASE WHEN provincial_strong_on IS NOT NULL THEN '已认定' ELSE '已申报' END
  FROM enterprises WHERE provincial_strong_applied_on IS NOT NULL;
