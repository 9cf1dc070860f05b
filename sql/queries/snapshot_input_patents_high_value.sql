-- Input of a snapshot's data hash: the patents granted by the month's end that are flagged 高价值专利.
-- Hashed in a section of its own, and only when there is one, so stores without flags keep the
-- fingerprints their snapshots were frozen with (before migration 007 added the flag).
SELECT patent_no
  FROM patents WHERE high_value AND granted_on <= :month_end
 ORDER BY patent_no
