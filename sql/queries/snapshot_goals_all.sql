-- One snapshot's goal figures for every region.
SELECT * FROM snapshot_goals WHERE snapshot_id = :snapshot_id ORDER BY region_code, goal_id
