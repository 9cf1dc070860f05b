-- Load population from import_staging, replacing rows with the same region and year.
DELETE FROM population WHERE EXISTS (
    SELECT 1 FROM import_staging s
     WHERE s.region_code = population.region_code AND CAST(s.year AS INTEGER) = population.year);
INSERT INTO population (region_code, year, resident, registered)
SELECT region_code, CAST(year AS INTEGER), CAST(resident AS INTEGER), CAST(registered AS INTEGER)
  FROM import_staging;
