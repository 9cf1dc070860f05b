-- What the rows this import replaces had, read once before they are gone (run before enterprises.sql):
-- their regions, whose monthly sums refresh_measure_monthly.sql re-sums (import_regions: those of the staged
-- rows too, since a record may move), and their dates, which leave source_dates (migration 016);
-- enterprises.sql adds the dates of the rows it writes.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
CREATE TEMP TABLE import_replaced AS
SELECT region_code, GREATEST(COALESCE(ip_standard_on, DATE '1900-01-01'), COALESCE(national_ip_on, DATE '1900-01-01'),
                         COALESCE(provincial_strong_on, DATE '1900-01-01')) AS on_date
  FROM enterprises WHERE credit_code IN (SELECT credit_code FROM import_staging);
INSERT INTO import_regions (source, region_code)
SELECT 'enterprises', region_code FROM import_staging
UNION
SELECT 'enterprises', region_code FROM import_replaced;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'enterprises', on_date, FALSE, -COUNT(*)
  FROM import_replaced
 GROUP BY on_date
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DROP TABLE import_replaced;
