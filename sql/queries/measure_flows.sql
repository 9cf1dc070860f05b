-- Monthly change of every measure for one region and everything under it.
-- :region  region code; its descendants are included through region_closure.
-- Reads measure_monthly (migration 006): the records' changes already summed per lowest region and
-- month by the imports, so a county's view costs the same however many records the store holds.
-- The running sum of the deltas up to a month is the amount in force at that month's end.
SELECT m.measure, m.month_start, SUM(m.delta) AS delta
  FROM measure_monthly m
  JOIN region_closure c ON c.descendant = m.region_code AND c.ancestor = :region
 GROUP BY m.measure, m.month_start
 ORDER BY m.measure, m.month_start
