-- Monthly change of every measure of measure_items for one region and everything under it.
-- :region  region code; its descendants are included through region_closure.
-- A thing adds its amount in the month it starts and takes it back in the month it ends, so the
-- running sum of the deltas up to a month is the amount in force at that month's end.
WITH scope AS (
    SELECT descendant AS region_code FROM region_closure WHERE ancestor = :region
),
items AS (
    SELECT i.measure, i.start_on, i.end_on, i.amount
      FROM measure_items i JOIN scope s ON s.region_code = i.region_code
),
deltas AS (
    SELECT measure, CAST(date_trunc('month', start_on) AS DATE) AS month_start, amount AS delta
      FROM items
    UNION ALL
    SELECT measure, CAST(date_trunc('month', end_on) AS DATE), -amount
      FROM items WHERE end_on IS NOT NULL
)
SELECT measure, month_start, SUM(delta) AS delta
  FROM deltas
 GROUP BY measure, month_start
 ORDER BY measure, month_start
