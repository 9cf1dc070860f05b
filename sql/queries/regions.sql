-- All regions with their depth below the top, for pickers (parents before children).
SELECT r.code, r.name, r.level, r.parent_code,
       (SELECT MAX(c.depth) FROM region_closure c WHERE c.descendant = r.code) AS depth
  FROM regions r
 ORDER BY CASE r.level WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'county' THEN 2 ELSE 3 END, r.code
