-- What the rows this import replaces had, read once before they are gone (run before patents.sql):
-- their regions, whose monthly sums refresh_measure_monthly.sql re-sums (import_regions: those of the staged
-- rows too, since a record may move), and their dates, which leave source_dates (migration 016);
-- patents.sql adds the dates of the rows it writes.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
CREATE TEMP TABLE import_replaced AS
SELECT region_code, granted_on, ended_on
  FROM patents WHERE patent_no IN (SELECT patent_no FROM import_staging);
INSERT INTO import_regions (source, region_code)
SELECT 'patents', region_code FROM import_staging
UNION
SELECT 'patents', region_code FROM import_replaced;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'patents', on_date, ends, -COUNT(*)
  FROM (SELECT granted_on AS on_date, FALSE AS ends FROM import_replaced
        UNION ALL
        SELECT ended_on, TRUE FROM import_replaced WHERE ended_on IS NOT NULL) AS dated
 GROUP BY on_date, ends
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DROP TABLE import_replaced;
