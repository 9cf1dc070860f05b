-- Trademarks in force at :as_of for one region and everything under it, counted by type, industry
-- and township (the page adds them up along whichever of the three it shows).
SELECT t.mark_type, COALESCE(t.industry, '') AS industry, t.region_code, r.name AS region_name,
       COUNT(*) AS marks
  FROM trademarks t
  JOIN region_closure c ON c.descendant = t.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = t.region_code
 WHERE t.registered_on <= :as_of AND (t.ended_on IS NULL OR t.ended_on > :as_of)
 GROUP BY 1, 2, 3, 4
