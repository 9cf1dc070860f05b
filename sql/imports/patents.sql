-- Load patents from import_staging, replacing rows with the same patent number. A blank 高价值专利 is 否.
DELETE FROM patents WHERE patent_no IN (SELECT patent_no FROM import_staging);
INSERT INTO patents (patent_no, title, holder, region_code, patent_type, office, industry,
                     applied_on, granted_on, ended_on, high_value)
SELECT patent_no, title, holder, region_code, patent_type, office, industry,
       CAST(applied_on AS DATE), CAST(granted_on AS DATE), CAST(ended_on AS DATE),
       COALESCE(CAST(high_value AS BOOLEAN), FALSE)
  FROM import_staging;
