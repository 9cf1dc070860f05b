-- Population by year of the regions of level :level under :ancestor (as measure_panel.sql): each
-- region's own figure, and the sum over the lowest regions under it for when it has none.
WITH peers AS (  -- :ancestor '' means everywhere (every county of the nation)
    SELECT r.code
      FROM regions r
     WHERE r.level = :level
       AND (:ancestor = '' OR r.code IN (SELECT descendant FROM region_closure WHERE ancestor = :ancestor))
),
lowest AS (
    SELECT code FROM regions r WHERE NOT EXISTS (SELECT 1 FROM regions k WHERE k.parent_code = r.code)
)
SELECT pr.code AS region_code, p.year,
       SUM(CASE WHEN p.region_code = pr.code THEN p.resident END)   AS resident_own,
       SUM(CASE WHEN p.region_code = pr.code THEN p.registered END) AS registered_own,
       SUM(CASE WHEN p.region_code <> pr.code AND l.code IS NOT NULL THEN p.resident END)   AS resident_leaves,
       SUM(CASE WHEN p.region_code <> pr.code AND l.code IS NOT NULL THEN p.registered END) AS registered_leaves
  FROM peers pr
  JOIN region_closure c ON c.ancestor = pr.code
  JOIN population p ON p.region_code = c.descendant
  LEFT JOIN lowest l ON l.code = p.region_code
 GROUP BY pr.code, p.year
 ORDER BY pr.code, p.year
