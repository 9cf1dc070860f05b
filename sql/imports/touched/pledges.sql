-- What the rows this import replaces had, read once before they are gone (run before pledges.sql):
-- their regions, whose monthly sums refresh_measure_monthly.sql re-sums (import_regions: those of the staged
-- rows too, since a record may move), and their dates, which leave source_dates (migration 016);
-- pledges.sql adds the dates of the rows it writes.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
CREATE TEMP TABLE import_replaced AS
SELECT region_code, registered_on
  FROM pledges WHERE contract_no IN (SELECT contract_no FROM import_staging);
INSERT INTO import_regions (source, region_code)
SELECT 'pledges', region_code FROM import_staging
UNION
SELECT 'pledges', region_code FROM import_replaced;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'pledges', registered_on, FALSE, -COUNT(*)
  FROM import_replaced
 GROUP BY registered_on
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DROP TABLE import_replaced;
