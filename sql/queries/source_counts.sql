-- How many records each source holds and the latest date in it (a registration, an end, a
-- recognition): tells "no data" from "zero" and gives the newest month the dashboard can show.
-- Read from source_dates (migration 016), which the writes keep, not from the records themselves: the
-- first view after a start reads no record table. An end date after today (an expiry known in advance)
-- is not yet data: it counts once it has passed. Population figures are counted, never dated (a year's
-- figure does not make its December the newest month). Same results as tests/sql/source_counts_from_records.sql,
-- the query over the records this replaces (tests/test_source_summary.py compares them).
SELECT s.source,
       CAST(COALESCE(SUM(CASE WHEN NOT d.ends THEN d.records END), 0) AS BIGINT) AS records,
       MAX(CASE WHEN s.source <> 'population' AND (NOT d.ends OR d.on_date <= CURRENT_DATE) THEN d.on_date END)
           AS latest_on
  FROM (VALUES ('trademarks', 1), ('patents', 2), ('pledges', 3), ('enterprises', 4), ('population', 5),
               ('reported', 6)) AS s (source, position)
  LEFT JOIN source_dates d ON d.source = s.source
 GROUP BY s.source, s.position
 ORDER BY s.position
