-- Synthetic patents (ipmetrics/synthetic.py) from import_staging.
INSERT INTO patents (patent_no, title, holder, region_code, patent_type, office, industry,
                     applied_on, granted_on, ended_on, high_value)
SELECT 'SP' || region_code || lpad(CAST(seq AS VARCHAR), 8, '0'),
       '模拟专利' || CAST(seq AS VARCHAR),
       '模拟企业' || region_code || '-' || CAST(seq % 499 AS VARCHAR),
       region_code, patent_type, office, industry,
       CAST(applied_on AS DATE), CAST(granted_on AS DATE), CAST(ended_on AS DATE), CAST(high_value AS BOOLEAN)
  FROM import_staging
