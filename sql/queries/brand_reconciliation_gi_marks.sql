-- The GI trademark rows of one region (and everything under it), each with the brand of the 品牌培育 list
-- that names it by registration number (any brand, wherever it is recorded; blank when none does).
-- :region a region code.
SELECT t.reg_no, t.mark_name, t.holder, t.registered_on, t.ended_on,
       (SELECT MIN(b.name) FROM brands b WHERE b.reg_no = t.reg_no) AS named_by
  FROM trademarks t
  JOIN region_closure c ON c.descendant = t.region_code AND c.ancestor = :region
 WHERE t.is_gi
 ORDER BY t.registered_on, t.reg_no
