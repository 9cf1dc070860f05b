-- Input of a snapshot's data hash: the targets assigned to townships (hashed only when there are any).
SELECT indicator, region_code, target, target_date, note FROM region_targets ORDER BY indicator, region_code
