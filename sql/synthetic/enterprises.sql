-- Synthetic enterprises (ipmetrics/synthetic.py) from import_staging; a made-up 18-character credit
-- code: 91, the region code, a sequence number.
INSERT INTO enterprises (credit_code, name, region_code, industry, high_tech, tech_sme, ip_standard_on,
                         national_ip_on, provincial_strong_on)
SELECT '91' || region_code || lpad(CAST(seq AS VARCHAR), 10, '0'),
       '模拟企业' || region_code || '-' || CAST(seq AS VARCHAR),
       region_code, industry, CAST(high_tech AS BOOLEAN), CAST(tech_sme AS BOOLEAN),
       CAST(ip_standard_on AS DATE), CAST(national_ip_on AS DATE), CAST(provincial_strong_on AS DATE)
  FROM import_staging
