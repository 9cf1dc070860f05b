-- What the rows this import replaces had, read once before they are gone (run before trademarks.sql):
-- their regions, whose monthly sums refresh_measure_monthly.sql re-sums (import_regions: those of the staged
-- rows too, since a record may move), and their dates, which leave source_dates (migration 016);
-- trademarks.sql adds the dates of the rows it writes.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
CREATE TEMP TABLE import_replaced AS
SELECT region_code, registered_on, ended_on, well_known_on
  FROM trademarks WHERE reg_no IN (SELECT reg_no FROM import_staging);
INSERT INTO import_regions (source, region_code)
SELECT 'trademarks', region_code FROM import_staging
UNION
SELECT 'trademarks', region_code FROM import_replaced;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'trademarks', on_date, ends, -COUNT(*)
  FROM (SELECT GREATEST(registered_on, COALESCE(well_known_on, registered_on)) AS on_date, FALSE AS ends
          FROM import_replaced
        UNION ALL
        SELECT ended_on, TRUE FROM import_replaced WHERE ended_on IS NOT NULL) AS dated
 GROUP BY on_date, ends
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DROP TABLE import_replaced;
