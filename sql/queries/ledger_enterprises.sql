-- The enterprises behind a measure for one region (and everything under it) at a month-end, with the
-- dates of their designations: the first national one and the upgrade to 示范, and when each ended.
SELECT e.credit_code, e.name, e.region_code, r.name AS region_name, e.industry, e.high_tech, e.tech_sme,
       e.ip_standard_on, e.national_ip_on, e.provincial_strong_on, e.national_demo_on, e.national_ip_until,
       e.provincial_strong_until
  FROM measure_items i
  JOIN region_closure c ON c.descendant = i.region_code AND c.ancestor = :region
  JOIN enterprises e ON e.credit_code = i.record_key
  LEFT JOIN regions r ON r.code = e.region_code
 WHERE i.measure = :measure AND i.start_on <= :as_of AND i.start_on >= :since
   AND (i.end_on IS NULL OR i.end_on > :as_of)
 ORDER BY e.name
