-- Load pledge-financing deals from import_staging, replacing rows with the same contract number. The
-- dates of the rows written join source_dates (migration 016); touched/pledges.sql, run first, took out
-- those of the rows replaced.
DELETE FROM pledges WHERE contract_no IN (SELECT contract_no FROM import_staging);
INSERT INTO pledges (contract_no, enterprise, region_code, ip_type, lender, amount_wan, registered_on)
SELECT contract_no, enterprise, region_code, ip_type, lender, CAST(amount_wan AS DECIMAL(18, 4)),
       CAST(registered_on AS DATE)
  FROM import_staging;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'pledges', CAST(registered_on AS DATE), FALSE, COUNT(*)
  FROM import_staging
 GROUP BY CAST(registered_on AS DATE)
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM source_dates WHERE source = 'pledges' AND records = 0;
