-- Load trademarks from import_staging, replacing rows with the same registration number. The dates of
-- the rows written join source_dates (migration 016); touched/trademarks.sql, run first, took out those of
-- the rows replaced.
DELETE FROM trademarks WHERE reg_no IN (SELECT reg_no FROM import_staging);
INSERT INTO trademarks (reg_no, mark_name, holder, region_code, mark_type, is_gi, industry,
                        registered_on, ended_on, well_known_on)
SELECT reg_no, mark_name, holder, region_code, mark_type, CAST(is_gi AS BOOLEAN), industry,
       CAST(registered_on AS DATE), CAST(ended_on AS DATE), CAST(well_known_on AS DATE)
  FROM import_staging;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT 'trademarks', on_date, ends, COUNT(*)
  FROM (SELECT GREATEST(CAST(registered_on AS DATE), COALESCE(CAST(well_known_on AS DATE), CAST(registered_on AS DATE)))
                   AS on_date, FALSE AS ends
          FROM import_staging
        UNION ALL
        SELECT CAST(ended_on AS DATE), TRUE FROM import_staging WHERE CAST(ended_on AS DATE) IS NOT NULL) AS dated
 GROUP BY on_date, ends
    ON CONFLICT (source, on_date, ends) DO UPDATE SET records = source_dates.records + excluded.records;
DELETE FROM source_dates WHERE source = 'trademarks' AND records = 0;
