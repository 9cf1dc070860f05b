-- Each brand of article 五 in one region (and everything under it) beside the trademark row its registration
-- number names, wherever that row lies (a brand's mark may be recorded under another town). The tm_ columns
-- are blank when no trademark row has the number. Registration numbers are NFKC-normalised on import, so
-- they are compared as stored.
-- :region a region code; the GI brands first, then the collective marks, each by name (as the brand list).
SELECT b.name, b.brand_type, b.applicant, b.region_code, rb.name AS region_name, b.registered_on, b.reg_no,
       t.reg_no AS tm_reg_no, t.mark_name AS tm_mark_name, t.holder AS tm_holder,
       t.region_code AS tm_region_code, rt.name AS tm_region_name, t.mark_type AS tm_mark_type,
       t.is_gi AS tm_is_gi, t.registered_on AS tm_registered_on, t.ended_on AS tm_ended_on
  FROM brands b
  JOIN region_closure c ON c.descendant = b.region_code AND c.ancestor = :region
  LEFT JOIN regions rb ON rb.code = b.region_code
  LEFT JOIN trademarks t ON t.reg_no = b.reg_no
  LEFT JOIN regions rt ON rt.code = t.region_code
 ORDER BY CASE b.brand_type WHEN 'gi' THEN 0 ELSE 1 END, b.name
