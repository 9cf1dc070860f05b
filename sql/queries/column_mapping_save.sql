-- Save a file source's column mapping, replacing the one saved before for the same kind and source.
INSERT INTO column_mappings (kind, source_name, mapping, saved_by, saved_at)
VALUES (:kind, :source_name, :mapping, :saved_by, :saved_at)
    ON CONFLICT (kind, source_name) DO UPDATE
   SET mapping = excluded.mapping, saved_by = excluded.saved_by, saved_at = excluded.saved_at
