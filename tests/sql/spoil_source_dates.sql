-- For tests/test_source_summary.py: a source's dates lost, and a stray one in their place.
DELETE FROM source_dates WHERE source = :source;
INSERT INTO source_dates (source, on_date, ends, records) VALUES (:source, DATE '1999-09-09', FALSE, 7)
