-- The monthly change of every measure for a set of peer regions at once: the regions of level :level
-- under :ancestor (the townships of a county, the counties of a province).
-- :ancestor  region code, or '' for everywhere; :level  'province' | 'city' | 'county' | 'township'
-- :first_month, :last_month  'YYYY-MM-01', the months of the panel
-- One row per region, month and measure with any change (long rows: a new measure of measure_items
-- needs nothing here; ipmetrics/core/panel.py places each row by the measure's place in the
-- declaration, ipmetrics/core/measures.py). The records' changes, summed per lowest region and month by
-- the imports (measure_monthly, migration 006), are rolled up to the peers through region_closure;
-- everything before the panel is folded into its first month, so the running sum of a region's rows
-- (one numpy cumsum over regions × months) is the amount in force.
WITH peers AS (  -- :ancestor '' means everywhere (every county of the nation)
    SELECT r.code
      FROM regions r
     WHERE r.level = :level
       AND (:ancestor = '' OR r.code IN (SELECT descendant FROM region_closure WHERE ancestor = :ancestor))
)
SELECT p.code AS region_code,
       CASE WHEN d.month_start < CAST(:first_month AS DATE) THEN CAST(:first_month AS DATE)
            ELSE d.month_start END AS month_start,
       d.measure,
       SUM(d.delta) AS delta
  FROM measure_monthly d
  JOIN region_closure c ON c.descendant = d.region_code
  JOIN peers p ON p.code = c.ancestor
 WHERE d.month_start <= CAST(:last_month AS DATE)
 GROUP BY p.code,
          CASE WHEN d.month_start < CAST(:first_month AS DATE) THEN CAST(:first_month AS DATE)
               ELSE d.month_start END,
          d.measure
