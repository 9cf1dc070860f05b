-- One line of the import log, written in the same transaction as the rows it describes.
INSERT INTO import_log (kind, file_name, sha256, rows_read, rows_loaded, rows_rejected, imported_by, imported_at,
                        data_through)
VALUES (:kind, :file_name, :sha256, :rows_read, :rows_loaded, :rows_rejected, :imported_by, :imported_at,
        :data_through)
