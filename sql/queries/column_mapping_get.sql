-- The column mapping saved for one kind and file source (no row when none is saved).
SELECT kind, source_name, mapping, saved_by, saved_at
  FROM column_mappings
 WHERE kind = :kind AND source_name = :source_name
