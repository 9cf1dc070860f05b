-- measure_flows.sql for a region and each region one level below it at once (a freeze reads the county and
-- its townships): one query instead of one per region. :region  the region code.
-- `region` is the region each row belongs to; its descendants are included through region_closure.
SELECT c.ancestor AS region, m.measure, m.month_start, SUM(m.delta) AS delta
  FROM measure_monthly m
  JOIN region_closure c ON c.descendant = m.region_code
  JOIN regions r ON r.code = c.ancestor
 WHERE r.code = :region OR r.parent_code = :region
 GROUP BY c.ancestor, m.measure, m.month_start
 ORDER BY c.ancestor, m.measure, m.month_start
