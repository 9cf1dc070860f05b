-- Load reported figures from import_staging, replacing rows with the same indicator, region and month.
-- source_dates (migration 016) counts them by month: those replaced leave it, those written join it.
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'reported', month, FALSE, -COUNT(*)
  FROM reported WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.indicator = reported.indicator AND s.region_code = reported.region_code
       AND CAST(s.month AS DATE) = reported.month)
 GROUP BY month
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM reported WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.indicator = reported.indicator AND s.region_code = reported.region_code
       AND CAST(s.month AS DATE) = reported.month);
INSERT INTO reported (indicator, region_code, month, value)
SELECT indicator, region_code, CAST(month AS DATE), CAST(value AS DOUBLE PRECISION)
  FROM import_staging;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'reported', CAST(month AS DATE), FALSE, COUNT(*)
  FROM import_staging
 GROUP BY CAST(month AS DATE)
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM source_dates WHERE source = 'reported' AND records = 0;
