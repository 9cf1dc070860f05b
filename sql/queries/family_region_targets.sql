-- region_targets.sql for a region and each region one level below it at once (each exactly that region).
SELECT t.region_code AS region, t.indicator, t.target, t.target_date, t.note
  FROM region_targets t JOIN regions r ON r.code = t.region_code
 WHERE r.code = :region OR r.parent_code = :region
 ORDER BY t.region_code, t.indicator
