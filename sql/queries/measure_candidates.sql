-- The pipeline candidates (view measure_candidates) of one region and everything under it.
-- :region  region code; its descendants are included through region_closure.
SELECT k.measure, k.candidate, k.record_key, k.entered_on, k.left_on, k.stage
  FROM measure_candidates k
  JOIN region_closure c ON c.descendant = k.region_code AND c.ancestor = :region
 ORDER BY k.measure, k.entered_on, k.candidate
