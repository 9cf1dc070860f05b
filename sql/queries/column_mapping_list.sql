-- Every saved column mapping, newest first.
SELECT kind, source_name, mapping, saved_by, saved_at
  FROM column_mappings
 ORDER BY saved_at DESC, kind, source_name
