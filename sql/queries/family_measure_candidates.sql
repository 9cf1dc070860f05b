-- measure_candidates.sql for a region and each region one level below it at once: the pipeline candidates
-- of each and everything under it.
SELECT c.ancestor AS region, k.measure, k.candidate, k.record_key, k.entered_on, k.left_on, k.stage
  FROM measure_candidates k
  JOIN region_closure c ON c.descendant = k.region_code
  JOIN regions r ON r.code = c.ancestor
 WHERE r.code = :region OR r.parent_code = :region
 ORDER BY c.ancestor, k.measure, k.entered_on, k.candidate
