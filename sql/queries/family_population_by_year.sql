-- population_by_year.sql for a region and each region one level below it at once: per region and year,
-- its own row, and the sum over the lowest regions under it (those with no children).
SELECT r.code AS region, p.year,
       SUM(CASE WHEN p.region_code = r.code THEN p.resident END)   AS resident_own,
       SUM(CASE WHEN p.region_code = r.code THEN p.registered END) AS registered_own,
       SUM(CASE WHEN p.region_code <> r.code AND NOT EXISTS (
                    SELECT 1 FROM regions k WHERE k.parent_code = p.region_code) THEN p.resident END)   AS resident_leaves,
       SUM(CASE WHEN p.region_code <> r.code AND NOT EXISTS (
                    SELECT 1 FROM regions k WHERE k.parent_code = p.region_code) THEN p.registered END) AS registered_leaves
  FROM regions r
  JOIN region_closure c ON c.ancestor = r.code
  JOIN population p ON p.region_code = c.descendant
 WHERE r.code = :region OR r.parent_code = :region
 GROUP BY r.code, p.year
 ORDER BY r.code, p.year
