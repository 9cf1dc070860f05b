-- Input of a snapshot's data hash: the named brands, with steps after the month blanked.
SELECT name, brand_type, applicant, region_code,
       CASE WHEN filed_on <= :month_end THEN filed_on END AS filed_on,
       CASE WHEN accepted_on <= :month_end THEN accepted_on END AS accepted_on,
       CASE WHEN published_on <= :month_end THEN published_on END AS published_on,
       CASE WHEN registered_on <= :month_end THEN registered_on END AS registered_on,
       CASE WHEN rejected_on <= :month_end THEN rejected_on END AS rejected_on,
       reg_no
  FROM brands
 ORDER BY name
