-- The pledge-financing deals behind a measure for one region (and everything under it) at a month-end.
SELECT p.contract_no, p.enterprise, p.region_code, r.name AS region_name, p.ip_type, p.lender,
       CAST(p.amount_wan AS DOUBLE PRECISION) AS amount_wan, p.registered_on
  FROM measure_items i
  JOIN region_closure c ON c.descendant = i.region_code AND c.ancestor = :region
  JOIN pledges p ON p.contract_no = i.record_key
  LEFT JOIN regions r ON r.code = p.region_code
 WHERE i.measure = :measure AND i.start_on <= :as_of AND i.start_on >= :since
   AND (i.end_on IS NULL OR i.end_on > :as_of)
 ORDER BY p.registered_on, p.contract_no
