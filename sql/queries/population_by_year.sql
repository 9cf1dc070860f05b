-- Population of one region by year: its own row, and the sum over the lowest regions under it
-- (those with no children), used when the region has no row of its own.
SELECT p.year,
       SUM(CASE WHEN p.region_code = :region THEN p.resident END)   AS resident_own,
       SUM(CASE WHEN p.region_code = :region THEN p.registered END) AS registered_own,
       SUM(CASE WHEN p.region_code <> :region AND NOT EXISTS (
                    SELECT 1 FROM regions r WHERE r.parent_code = p.region_code) THEN p.resident END)   AS resident_leaves,
       SUM(CASE WHEN p.region_code <> :region AND NOT EXISTS (
                    SELECT 1 FROM regions r WHERE r.parent_code = p.region_code) THEN p.registered END) AS registered_leaves
  FROM population p
  JOIN region_closure c ON c.descendant = p.region_code AND c.ancestor = :region
 GROUP BY p.year
 ORDER BY p.year
