-- Input of a snapshot's data hash: marks registered by the month's end, with later events blanked.
SELECT reg_no, mark_name, holder, region_code, mark_type, is_gi, industry, registered_on,
       CASE WHEN ended_on <= :month_end THEN ended_on END AS ended_on,
       CASE WHEN well_known_on <= :month_end THEN well_known_on END AS well_known_on
  FROM trademarks WHERE registered_on <= :month_end
 ORDER BY reg_no
