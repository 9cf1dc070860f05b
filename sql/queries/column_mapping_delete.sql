-- Forget the column mapping of one kind and file source.
DELETE FROM column_mappings WHERE kind = :kind AND source_name = :source_name
