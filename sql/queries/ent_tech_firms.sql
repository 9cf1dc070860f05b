-- High-tech and tech-SME firms of one region and everything under it, with their certification
-- (贯标) and designation dates: the list the coverage goal is measured on.
SELECT e.credit_code, e.name, e.region_code, r.name AS region_name, e.industry, e.high_tech, e.tech_sme,
       e.ip_standard_on, e.national_ip_on, e.provincial_strong_on
  FROM enterprises e
  JOIN region_closure c ON c.descendant = e.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = e.region_code
 WHERE e.high_tech OR e.tech_sme
 ORDER BY r.name, e.name
