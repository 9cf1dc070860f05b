-- The regions of level :level under :ancestor (the ancestor itself when it has that level; ''
-- for everywhere), by code.
SELECT r.code, r.name, r.level, r.parent_code
  FROM regions r
 WHERE r.level = :level
   AND (:ancestor = '' OR r.code IN (SELECT descendant FROM region_closure WHERE ancestor = :ancestor))
 ORDER BY r.code
