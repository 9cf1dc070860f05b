-- The regions whose trademarks this import changes: those of the staged rows, and those the rows it
-- replaces had (a record may move). Run before trademarks.sql; refresh_measure_monthly.sql reads them.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
INSERT INTO import_regions (source, region_code)
SELECT 'trademarks', region_code FROM import_staging
UNION
SELECT 'trademarks', region_code FROM trademarks WHERE reg_no IN (SELECT reg_no FROM import_staging);
