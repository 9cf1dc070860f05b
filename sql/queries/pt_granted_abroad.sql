-- Patents granted by offices abroad up to :as_of, for one region and everything under it.
SELECT p.patent_no, p.title, p.holder, r.name AS region_name, p.patent_type, p.office, p.industry,
       p.applied_on, p.granted_on, p.ended_on
  FROM patents p
  JOIN region_closure c ON c.descendant = p.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = p.region_code
 WHERE p.office <> 'CN' AND p.granted_on <= :as_of
 ORDER BY p.granted_on DESC, p.patent_no
