-- The trademarks behind a measure for one region (and everything under it) at a month-end.
-- :measure a trademark measure of measure_items; :as_of the month-end; :since the first day counted.
SELECT t.reg_no, t.mark_name, t.holder, t.region_code, r.name AS region_name, t.mark_type, t.is_gi,
       t.industry, t.registered_on, t.ended_on, t.well_known_on
  FROM measure_items i
  JOIN region_closure c ON c.descendant = i.region_code AND c.ancestor = :region
  JOIN trademarks t ON t.reg_no = i.record_key
  LEFT JOIN regions r ON r.code = t.region_code
 WHERE i.measure = :measure AND i.start_on <= :as_of AND i.start_on >= :since
   AND (i.end_on IS NULL OR i.end_on > :as_of)
 ORDER BY t.registered_on, t.reg_no
