-- Load patents from import_staging, replacing rows with the same patent number. A blank 高价值专利 is 否.
-- The dates of the rows written join source_dates (migration 016); touched/patents.sql, run first, took out
-- those of the rows replaced.
DELETE FROM patents WHERE patent_no IN (SELECT patent_no FROM import_staging);
INSERT INTO patents (patent_no, title, holder, region_code, patent_type, office, industry,
                     applied_on, granted_on, ended_on, high_value)
SELECT patent_no, title, holder, region_code, patent_type, office, industry,
       CAST(applied_on AS DATE), CAST(granted_on AS DATE), CAST(ended_on AS DATE),
       COALESCE(CAST(high_value AS BOOLEAN), FALSE)
  FROM import_staging;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'patents', on_date, ends, COUNT(*)
  FROM (SELECT CAST(granted_on AS DATE) AS on_date, FALSE AS ends FROM import_staging
        UNION ALL
        SELECT CAST(ended_on AS DATE), TRUE FROM import_staging WHERE CAST(ended_on AS DATE) IS NOT NULL) AS dated
 GROUP BY on_date, ends
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM source_dates WHERE source = 'patents' AND records = 0;
