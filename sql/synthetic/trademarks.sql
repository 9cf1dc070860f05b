-- Synthetic trademarks (ipmetrics/synthetic.py) from import_staging: numbers and dates are staged,
-- the text columns are made here from the region code and a sequence number.
INSERT INTO trademarks (reg_no, mark_name, holder, region_code, mark_type, is_gi, industry,
                        registered_on, ended_on, well_known_on)
SELECT 'S' || region_code || lpad(CAST(seq AS VARCHAR), 8, '0'),
       '模拟商标' || CAST(seq AS VARCHAR),
       '模拟企业' || region_code || '-' || CAST(seq % 997 AS VARCHAR),
       region_code, mark_type, CAST(is_gi AS BOOLEAN), industry,
       CAST(registered_on AS DATE), CAST(ended_on AS DATE), CAST(well_known_on AS DATE)
  FROM import_staging
