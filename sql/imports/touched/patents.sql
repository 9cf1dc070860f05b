-- The regions whose patents this import changes: those of the staged rows, and those the rows it
-- replaces had (a record may move). Run before patents.sql; refresh_measure_monthly.sql reads them.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
INSERT INTO import_regions (source, region_code)
SELECT 'patents', region_code FROM import_staging
UNION
SELECT 'patents', region_code FROM patents WHERE patent_no IN (SELECT patent_no FROM import_staging);
