-- Load enterprises from import_staging, replacing rows with the same unified credit code.
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
