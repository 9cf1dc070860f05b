-- Load trademarks from import_staging, replacing rows with the same registration number.
DELETE FROM trademarks WHERE reg_no IN (SELECT reg_no FROM import_staging);
INSERT INTO trademarks (reg_no, mark_name, holder, region_code, mark_type, is_gi, industry,
                        registered_on, ended_on, well_known_on)
SELECT reg_no, mark_name, holder, region_code, mark_type, CAST(is_gi AS BOOLEAN), industry,
       CAST(registered_on AS DATE), CAST(ended_on AS DATE), CAST(well_known_on AS DATE)
  FROM import_staging;
