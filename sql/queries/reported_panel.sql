-- Figures reported for the regions of level :level under :ancestor ('' for everywhere), each for
-- exactly that region.
SELECT rp.region_code, rp.indicator, rp.month, rp.value
  FROM reported rp JOIN regions r ON r.code = rp.region_code
 WHERE r.level = :level
   AND (:ancestor = '' OR r.code IN (SELECT descendant FROM region_closure WHERE ancestor = :ancestor))
 ORDER BY rp.region_code, rp.indicator, rp.month
