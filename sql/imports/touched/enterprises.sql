-- The regions whose enterprises this import changes: those of the staged rows, and those the rows it
-- replaces had (a record may move). Run before enterprises.sql; refresh_measure_monthly.sql reads them.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
INSERT INTO import_regions (source, region_code)
SELECT 'enterprises', region_code FROM import_staging
UNION
SELECT 'enterprises', region_code FROM enterprises WHERE credit_code IN (SELECT credit_code FROM import_staging);
