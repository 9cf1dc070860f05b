-- The monthly change of every measure for a set of peer regions at once: the regions of level :level
-- under :ancestor (the townships of a county, the counties of a province).
-- :ancestor  region code, or '' for everywhere; :level  'province' | 'city' | 'county' | 'township'
-- :first_month, :last_month  'YYYY-MM-01', the months of the panel
-- One row per region and month with any change, one column per measure of measure_items (migration
-- 002; a test checks the columns cover them all). The records' changes, summed per lowest region and
-- month by the imports (measure_monthly, migration 006), are rolled up to the peers through
-- region_closure; everything before the panel is folded into its first month, so the running sum of
-- a region's rows (ipmetrics/panel.py, one numpy cumsum over regions × months) is the amount in force.
WITH peers AS (  -- :ancestor '' means everywhere (every county of the nation)
    SELECT r.code
      FROM regions r
     WHERE r.level = :level
       AND (:ancestor = '' OR r.code IN (SELECT descendant FROM region_closure WHERE ancestor = :ancestor))
)
SELECT p.code AS region_code,
       CASE WHEN d.month_start < CAST(:first_month AS DATE) THEN CAST(:first_month AS DATE)
            ELSE d.month_start END AS month_start,
       SUM(CASE WHEN d.measure = 'trademarks_valid' THEN d.delta ELSE 0 END) AS trademarks_valid,
       SUM(CASE WHEN d.measure = 'trademarks_cumulative' THEN d.delta ELSE 0 END) AS trademarks_cumulative,
       SUM(CASE WHEN d.measure = 'well_known_marks' THEN d.delta ELSE 0 END) AS well_known_marks,
       SUM(CASE WHEN d.measure = 'gi_marks' THEN d.delta ELSE 0 END) AS gi_marks,
       SUM(CASE WHEN d.measure = 'cn_invention_patents' THEN d.delta ELSE 0 END) AS cn_invention_patents,
       SUM(CASE WHEN d.measure = 'pledge_deals' THEN d.delta ELSE 0 END) AS pledge_deals,
       SUM(CASE WHEN d.measure = 'pledge_amount_wan' THEN d.delta ELSE 0 END) AS pledge_amount_wan,
       SUM(CASE WHEN d.measure = 'national_ip_enterprises' THEN d.delta ELSE 0 END) AS national_ip_enterprises,
       SUM(CASE WHEN d.measure = 'provincial_ip_enterprises' THEN d.delta ELSE 0 END) AS provincial_ip_enterprises,
       SUM(CASE WHEN d.measure = 'ip_standard_certified' THEN d.delta ELSE 0 END) AS ip_standard_certified,
       SUM(CASE WHEN d.measure = 'ip_standard_eligible' THEN d.delta ELSE 0 END) AS ip_standard_eligible
  FROM measure_monthly d
  JOIN region_closure c ON c.descendant = d.region_code
  JOIN peers p ON p.code = c.ancestor
 WHERE d.month_start <= CAST(:last_month AS DATE)
 GROUP BY p.code,
          CASE WHEN d.month_start < CAST(:first_month AS DATE) THEN CAST(:first_month AS DATE)
               ELSE d.month_start END
