-- Trademarks registered per month and type, for one region and everything under it, :start to :end.
SELECT CAST(date_trunc('month', t.registered_on) AS DATE) AS month_start, t.mark_type, COUNT(*) AS marks
  FROM trademarks t
  JOIN region_closure c ON c.descendant = t.region_code AND c.ancestor = :region
 WHERE t.registered_on BETWEEN :start AND :end
 GROUP BY 1, 2
 ORDER BY 1, 2
