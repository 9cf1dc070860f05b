-- Pledge-financing deals registered up to :as_of for one region and everything under it.
SELECT p.contract_no, p.enterprise, p.region_code, r.name AS region_name, p.ip_type, p.lender,
       CAST(p.amount_wan AS DOUBLE PRECISION) AS amount_wan, p.registered_on
  FROM pledges p
  JOIN region_closure c ON c.descendant = p.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = p.region_code
 WHERE p.registered_on <= :as_of
 ORDER BY p.registered_on, p.contract_no
