-- Load brand candidates from import_staging, replacing rows with the same name; records who and when.
DELETE FROM brands WHERE name IN (SELECT name FROM import_staging);
INSERT INTO brands (name, brand_type, applicant, region_code, filed_on, accepted_on, published_on,
                    registered_on, rejected_on, reg_no, note, updated_by, updated_at)
SELECT name, brand_type, applicant, region_code, CAST(filed_on AS DATE), CAST(accepted_on AS DATE),
       CAST(published_on AS DATE), CAST(registered_on AS DATE), CAST(rejected_on AS DATE), reg_no, note,
       :user, :now
  FROM import_staging;
