-- One snapshot's goal figures for one region.
SELECT * FROM snapshot_goals WHERE snapshot_id = :snapshot_id AND region_code = :region ORDER BY goal_id
