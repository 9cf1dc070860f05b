-- Input of a snapshot's data hash: the enterprise list, with designations after the month blanked.
SELECT credit_code, name, region_code, industry, high_tech, tech_sme,
       CASE WHEN ip_standard_on <= :month_end THEN ip_standard_on END AS ip_standard_on,
       CASE WHEN national_ip_on <= :month_end THEN national_ip_on END AS national_ip_on,
       CASE WHEN provincial_strong_on <= :month_end THEN provincial_strong_on END AS provincial_strong_on
  FROM enterprises
 ORDER BY credit_code
