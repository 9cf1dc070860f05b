-- The data version and the newest snapshot's number in one round trip: every page run reads both (the caches
-- of what reads records, and of what reads snapshots, are keyed on them).
SELECT (SELECT value FROM meta WHERE key = 'data_version') AS data_version,
       (SELECT COALESCE(MAX(id), 0) FROM snapshots) AS snapshots_version
