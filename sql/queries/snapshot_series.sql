-- One snapshot's monthly series for one region.
SELECT goal_id, month, value, source FROM snapshot_series
 WHERE snapshot_id = :snapshot_id AND region_code = :region ORDER BY goal_id, month
