-- The codes of every region in the store, to check the region codes of an import against.
SELECT code FROM regions
