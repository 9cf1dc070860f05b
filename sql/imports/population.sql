-- Load population from import_staging, replacing rows with the same region and year. source_dates
-- (migration 016) counts the figures by year: those replaced leave it, those written join it.
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'population', make_date(year, 1, 1), FALSE, -COUNT(*)
  FROM population WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.region_code = population.region_code AND CAST(s.year AS INTEGER) = population.year)
 GROUP BY year
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM population WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.region_code = population.region_code AND CAST(s.year AS INTEGER) = population.year);
INSERT INTO population (region_code, year, resident, registered)
SELECT region_code, CAST(year AS INTEGER), CAST(resident AS INTEGER), CAST(registered AS INTEGER)
  FROM import_staging;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'population', make_date(CAST(year AS INTEGER), 1, 1), FALSE, COUNT(*)
  FROM import_staging
 GROUP BY CAST(year AS INTEGER)
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM source_dates WHERE source = 'population' AND records = 0;
