-- Load patents from import_staging, replacing rows with the same patent number.
DELETE FROM patents WHERE patent_no IN (SELECT patent_no FROM import_staging);
INSERT INTO patents (patent_no, title, holder, region_code, patent_type, office, industry,
                     applied_on, granted_on, ended_on)
SELECT patent_no, title, holder, region_code, patent_type, office, industry,
       CAST(applied_on AS DATE), CAST(granted_on AS DATE), CAST(ended_on AS DATE)
  FROM import_staging;
