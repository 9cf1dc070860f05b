-- The query source_counts.sql was until migration 016: the same answer counted from the records
-- themselves. Kept for tests/test_source_summary.py, which checks that the summary gives what this gives.
-- How many records each source holds and the latest date in it (a registration, an end, a
-- recognition): tells "no data" from "zero" and gives the newest month the dashboard can show.
-- An end date after today (an expiry known in advance) is not yet data: it counts once it has passed.
SELECT 'trademarks' AS source, COUNT(*) AS records,
       MAX(GREATEST(registered_on, COALESCE(CASE WHEN ended_on <= CURRENT_DATE THEN ended_on END, registered_on),
                    COALESCE(well_known_on, registered_on)))
           AS latest_on
  FROM trademarks
UNION ALL
SELECT 'patents', COUNT(*),
       MAX(GREATEST(granted_on, COALESCE(CASE WHEN ended_on <= CURRENT_DATE THEN ended_on END, granted_on)))
  FROM patents
UNION ALL
SELECT 'pledges', COUNT(*), MAX(registered_on) FROM pledges
UNION ALL
SELECT 'enterprises', COUNT(*),
       MAX(GREATEST(COALESCE(ip_standard_on, DATE '1900-01-01'), COALESCE(national_ip_on, DATE '1900-01-01'),
                    COALESCE(provincial_strong_on, DATE '1900-01-01')))
  FROM enterprises
UNION ALL
SELECT 'population', COUNT(*), CAST(NULL AS DATE) FROM population
UNION ALL
SELECT 'reported', COUNT(*), MAX(month) FROM reported
