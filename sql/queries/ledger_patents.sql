-- The patents behind a measure for one region (and everything under it) at a month-end.
SELECT p.patent_no, p.title, p.holder, p.region_code, r.name AS region_name, p.patent_type, p.office,
       p.industry, p.applied_on, p.granted_on, p.ended_on, p.high_value
  FROM measure_items i
  JOIN region_closure c ON c.descendant = i.region_code AND c.ancestor = :region
  JOIN patents p ON p.patent_no = i.record_key
  LEFT JOIN regions r ON r.code = p.region_code
 WHERE i.measure = :measure AND i.start_on <= :as_of AND i.start_on >= :since
   AND (i.end_on IS NULL OR i.end_on > :as_of)
 ORDER BY p.granted_on, p.patent_no
