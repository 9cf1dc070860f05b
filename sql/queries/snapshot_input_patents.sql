-- Input of a snapshot's data hash: patents granted by the month's end, with later lapses blanked.
SELECT patent_no, title, holder, region_code, patent_type, office, industry, applied_on, granted_on,
       CASE WHEN ended_on <= :month_end THEN ended_on END AS ended_on
  FROM patents WHERE granted_on <= :month_end
 ORDER BY patent_no
