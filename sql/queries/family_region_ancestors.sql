-- region_ancestors.sql for a region and each region one level below it at once: the regions above each,
-- nearest first.
SELECT c.descendant AS region, c.ancestor
  FROM region_closure c JOIN regions r ON r.code = c.descendant
 WHERE (r.code = :region OR r.parent_code = :region) AND c.depth > 0
 ORDER BY c.descendant, c.depth
