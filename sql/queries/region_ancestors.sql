-- The regions above :region (its parent, its parent's parent …), nearest first; not the region itself.
SELECT ancestor FROM region_closure WHERE descendant = :region AND depth > 0 ORDER BY depth
