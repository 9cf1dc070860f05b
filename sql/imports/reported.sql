-- Load reported figures from import_staging, replacing rows with the same indicator, region and month.
DELETE FROM reported WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.indicator = reported.indicator AND s.region_code = reported.region_code
       AND CAST(s.month AS DATE) = reported.month);
INSERT INTO reported (indicator, region_code, month, value)
SELECT indicator, region_code, CAST(month AS DATE), CAST(value AS DOUBLE PRECISION)
  FROM import_staging;
