-- 014_column_mappings: how an office's spreadsheet maps onto an import kind (issue 17, item 2).
-- When a file's headers match no column the importer knows, an editor maps each field to a column of the
-- file once; the mapping is kept under the file's source name (its name without dates, digits and version
-- marks, see io/mappings.source_name), so next month's file from the same office imports without asking.
-- `mapping` is JSON text {field name: the file's column header}: portable across DuckDB and PostgreSQL, and
-- read only whole. Saving or deleting one is audited but changes no data, so the data version stays.
CREATE TABLE IF NOT EXISTS column_mappings (
    kind        TEXT NOT NULL,
    source_name TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, source_name)
);
