-- The import log, newest first.
SELECT id, kind, file_name, sha256, rows_read, rows_loaded, rows_rejected, imported_by, imported_at, data_through
  FROM import_log ORDER BY imported_at DESC, id DESC
