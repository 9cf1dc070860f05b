-- Input of a snapshot's data hash, a section of its own: the designation dates of migration 013 (the 示范
-- upgrade, lapses, applications) known by the month's end, for the firms that have any. A store without
-- them hashes nothing here and keeps the fingerprints its snapshots were frozen with.
SELECT credit_code,
       CASE WHEN national_demo_on <= :month_end THEN national_demo_on END AS national_demo_on,
       CASE WHEN national_ip_until <= :month_end THEN national_ip_until END AS national_ip_until,
       CASE WHEN provincial_strong_until <= :month_end THEN provincial_strong_until END AS provincial_strong_until,
       CASE WHEN national_ip_applied_on <= :month_end THEN national_ip_applied_on END AS national_ip_applied_on,
       CASE WHEN provincial_strong_applied_on <= :month_end THEN provincial_strong_applied_on END
           AS provincial_strong_applied_on
  FROM enterprises
 WHERE national_demo_on <= :month_end OR national_ip_until <= :month_end OR provincial_strong_until <= :month_end
    OR national_ip_applied_on <= :month_end OR provincial_strong_applied_on <= :month_end
 ORDER BY credit_code
