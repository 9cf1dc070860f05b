-- Patents granted between :start and :end for one region and everything under it, counted by month,
-- type, granting office, industry and township.
SELECT CAST(date_trunc('month', p.granted_on) AS DATE) AS month_start, p.patent_type, p.office,
       COALESCE(p.industry, '') AS industry, p.region_code, r.name AS region_name, COUNT(*) AS patents
  FROM patents p
  JOIN region_closure c ON c.descendant = p.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = p.region_code
 WHERE p.granted_on BETWEEN :start AND :end
 GROUP BY 1, 2, 3, 4, 5, 6
