-- A snapshot's brand statuses, from import_staging.
INSERT INTO snapshot_brands (snapshot_id, name, brand_type, applicant, region_code, status, status_on, reg_no)
SELECT :snapshot_id, name, brand_type, applicant, region_code, status, CAST(status_on AS DATE), reg_no
  FROM import_staging
