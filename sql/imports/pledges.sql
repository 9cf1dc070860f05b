-- Load pledge-financing deals from import_staging, replacing rows with the same contract number.
DELETE FROM pledges WHERE contract_no IN (SELECT contract_no FROM import_staging);
INSERT INTO pledges (contract_no, enterprise, region_code, ip_type, lender, amount_wan, registered_on)
SELECT contract_no, enterprise, region_code, ip_type, lender, CAST(amount_wan AS DECIMAL(18, 4)),
       CAST(registered_on AS DATE)
  FROM import_staging;
