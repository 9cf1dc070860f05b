-- A snapshot's monthly series, from import_staging.
INSERT INTO snapshot_series (snapshot_id, region_code, goal_id, month, value, source)
SELECT :snapshot_id, region_code, goal_id, month, value, source FROM import_staging
