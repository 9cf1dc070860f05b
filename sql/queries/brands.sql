-- The brand candidates of article 五 in one region and everything under it, with the region's name.
-- :region a region code; the GI candidates come first, then the collective marks, each by name.
SELECT b.name, b.brand_type, b.applicant, b.region_code, r.name AS region_name, b.filed_on, b.accepted_on,
       b.published_on, b.registered_on, b.rejected_on, b.reg_no, b.note, b.updated_by, b.updated_at
  FROM brands b
  JOIN region_closure c ON c.descendant = b.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = b.region_code
 ORDER BY CASE b.brand_type WHEN 'gi' THEN 0 ELSE 1 END, b.name
