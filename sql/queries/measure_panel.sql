-- The amount of every measure in force at each month's end, for a set of peer regions at once: the
-- regions of level :level under :ancestor (the townships of a county, the counties of a province).
-- :ancestor  region code, or '' for everywhere; :level  'province' | 'city' | 'county' | 'township'
-- :first_month, :last_month  'YYYY-MM-01', the months of the panel
-- One row per region and month, one column per measure of measure_items (migration 002; a test
-- checks the columns cover them all). The records' changes, summed per lowest region and month by the
-- imports (measure_monthly, migration 006), are rolled up to the peers through region_closure;
-- everything before the panel is folded into its first month, so a running sum over the calendar
-- gives the amount in force.
WITH peers AS (  -- :ancestor '' means everywhere (every county of the nation)
    SELECT r.code
      FROM regions r
     WHERE r.level = :level
       AND (:ancestor = '' OR r.code IN (SELECT descendant FROM region_closure WHERE ancestor = :ancestor))
),
rolled AS (
    SELECT p.code AS region_code, d.measure,
           CASE WHEN d.month_start < CAST(:first_month AS DATE) THEN CAST(:first_month AS DATE)
                ELSE d.month_start END AS month_start,
           SUM(d.delta) AS delta
      FROM measure_monthly d
      JOIN region_closure c ON c.descendant = d.region_code
      JOIN peers p ON p.code = c.ancestor
     WHERE d.month_start <= CAST(:last_month AS DATE)
     GROUP BY p.code, d.measure,
              CASE WHEN d.month_start < CAST(:first_month AS DATE) THEN CAST(:first_month AS DATE)
                   ELSE d.month_start END
),
changes AS (
    SELECT region_code, month_start,
           SUM(CASE WHEN measure = 'trademarks_valid' THEN delta ELSE 0 END) AS trademarks_valid,
           SUM(CASE WHEN measure = 'trademarks_cumulative' THEN delta ELSE 0 END) AS trademarks_cumulative,
           SUM(CASE WHEN measure = 'well_known_marks' THEN delta ELSE 0 END) AS well_known_marks,
           SUM(CASE WHEN measure = 'gi_marks' THEN delta ELSE 0 END) AS gi_marks,
           SUM(CASE WHEN measure = 'cn_invention_patents' THEN delta ELSE 0 END) AS cn_invention_patents,
           SUM(CASE WHEN measure = 'pledge_deals' THEN delta ELSE 0 END) AS pledge_deals,
           SUM(CASE WHEN measure = 'pledge_amount_wan' THEN delta ELSE 0 END) AS pledge_amount_wan,
           SUM(CASE WHEN measure = 'national_ip_enterprises' THEN delta ELSE 0 END) AS national_ip_enterprises,
           SUM(CASE WHEN measure = 'provincial_ip_enterprises' THEN delta ELSE 0 END) AS provincial_ip_enterprises,
           SUM(CASE WHEN measure = 'ip_standard_certified' THEN delta ELSE 0 END) AS ip_standard_certified,
           SUM(CASE WHEN measure = 'ip_standard_eligible' THEN delta ELSE 0 END) AS ip_standard_eligible
      FROM rolled
     GROUP BY region_code, month_start
),
calendar AS (
    SELECT CAST(g.m AS DATE) AS month_start
      FROM generate_series(CAST(:first_month AS DATE), CAST(:last_month AS DATE), INTERVAL '1 month') AS g(m)
)
SELECT p.code AS region_code, k.month_start,
       SUM(COALESCE(c.trademarks_valid, 0)) OVER running AS trademarks_valid,
       SUM(COALESCE(c.trademarks_cumulative, 0)) OVER running AS trademarks_cumulative,
       SUM(COALESCE(c.well_known_marks, 0)) OVER running AS well_known_marks,
       SUM(COALESCE(c.gi_marks, 0)) OVER running AS gi_marks,
       SUM(COALESCE(c.cn_invention_patents, 0)) OVER running AS cn_invention_patents,
       SUM(COALESCE(c.pledge_deals, 0)) OVER running AS pledge_deals,
       SUM(COALESCE(c.pledge_amount_wan, 0)) OVER running AS pledge_amount_wan,
       SUM(COALESCE(c.national_ip_enterprises, 0)) OVER running AS national_ip_enterprises,
       SUM(COALESCE(c.provincial_ip_enterprises, 0)) OVER running AS provincial_ip_enterprises,
       SUM(COALESCE(c.ip_standard_certified, 0)) OVER running AS ip_standard_certified,
       SUM(COALESCE(c.ip_standard_eligible, 0)) OVER running AS ip_standard_eligible
  FROM peers p
 CROSS JOIN calendar k
  LEFT JOIN changes c ON c.region_code = p.code AND c.month_start = k.month_start
WINDOW running AS (PARTITION BY p.code ORDER BY k.month_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
 ORDER BY p.code, k.month_start
