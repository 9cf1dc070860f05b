-- The regions whose pledges this import changes: those of the staged rows, and those the rows it
-- replaces had (a record may move). Run before pledges.sql; refresh_measure_monthly.sql reads them.
CREATE TEMP TABLE IF NOT EXISTS import_regions (source TEXT NOT NULL, region_code TEXT NOT NULL);
INSERT INTO import_regions (source, region_code)
SELECT 'pledges', region_code FROM import_staging
UNION
SELECT 'pledges', region_code FROM pledges WHERE contract_no IN (SELECT contract_no FROM import_staging);
