-- Load township targets from import_staging, replacing the target of the same indicator and region.
DELETE FROM region_targets WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.indicator = region_targets.indicator AND s.region_code = region_targets.region_code);
INSERT INTO region_targets (indicator, region_code, target, target_date, note)
SELECT indicator, region_code, CAST(target AS DOUBLE PRECISION), CAST(target_date AS DATE), note
  FROM import_staging;
