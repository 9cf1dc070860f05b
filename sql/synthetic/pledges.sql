-- Synthetic pledge financing contracts (ipmetrics/synthetic.py) from import_staging.
INSERT INTO pledges (contract_no, enterprise, region_code, ip_type, lender, amount_wan, registered_on)
SELECT 'SL' || region_code || lpad(CAST(seq AS VARCHAR), 5, '0'),
       '模拟企业' || region_code || '-' || CAST(seq AS VARCHAR),
       region_code, ip_type, lender, amount_wan, CAST(registered_on AS DATE)
  FROM import_staging
