-- Load enterprises from import_staging, replacing rows with the same unified credit code. The dates of
-- the rows written join source_dates (migration 016): a firm's newest designation date, 1900-01-01 for a
-- firm without any; touched/enterprises.sql, run first, took out those of the rows replaced.
DELETE FROM enterprises WHERE credit_code IN (SELECT credit_code FROM import_staging);
INSERT INTO enterprises (credit_code, name, region_code, industry, high_tech, tech_sme,
                         ip_standard_on, national_ip_on, provincial_strong_on, national_demo_on,
                         national_ip_until, provincial_strong_until, national_ip_applied_on,
                         provincial_strong_applied_on)
SELECT credit_code, name, region_code, industry, CAST(high_tech AS BOOLEAN), CAST(tech_sme AS BOOLEAN),
       CAST(ip_standard_on AS DATE), CAST(national_ip_on AS DATE), CAST(provincial_strong_on AS DATE),
       CAST(national_demo_on AS DATE), CAST(national_ip_until AS DATE), CAST(provincial_strong_until AS DATE),
       CAST(national_ip_applied_on AS DATE), CAST(provincial_strong_applied_on AS DATE)
  FROM import_staging;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'enterprises', on_date, FALSE, COUNT(*)
  FROM (SELECT GREATEST(COALESCE(CAST(ip_standard_on AS DATE), DATE '1900-01-01'),
                        COALESCE(CAST(national_ip_on AS DATE), DATE '1900-01-01'),
                        COALESCE(CAST(provincial_strong_on AS DATE), DATE '1900-01-01')) AS on_date
          FROM import_staging) AS dated
 GROUP BY on_date
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM source_dates WHERE source = 'enterprises' AND records = 0;
