-- The enterprises whose designation (the measure's item) ended by a month-end, for one region and
-- everything under it: the firms a designation goal no longer counts. Latest ended first.
SELECT e.credit_code, e.name, e.region_code, r.name AS region_name, e.industry, i.start_on, i.end_on
  FROM measure_items i
  JOIN region_closure c ON c.descendant = i.region_code AND c.ancestor = :region
  JOIN enterprises e ON e.credit_code = i.record_key
  LEFT JOIN regions r ON r.code = e.region_code
 WHERE i.measure = :measure AND i.end_on IS NOT NULL AND i.end_on <= :as_of
 ORDER BY i.end_on DESC, e.name
