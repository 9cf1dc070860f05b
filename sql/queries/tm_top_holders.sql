-- The holders with the most trademarks in force at :as_of, for one region and everything under it.
SELECT t.holder, COUNT(*) AS marks, MIN(t.registered_on) AS first_registered_on
  FROM trademarks t
  JOIN region_closure c ON c.descendant = t.region_code AND c.ancestor = :region
 WHERE t.registered_on <= :as_of AND (t.ended_on IS NULL OR t.ended_on > :as_of)
 GROUP BY t.holder
 ORDER BY marks DESC, t.holder
 LIMIT :top
