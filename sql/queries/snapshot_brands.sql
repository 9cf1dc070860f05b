-- One snapshot's brand statuses.
SELECT name, brand_type, applicant, region_code, status, status_on, reg_no FROM snapshot_brands
 WHERE snapshot_id = :snapshot_id ORDER BY brand_type, name
