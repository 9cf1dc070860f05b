-- One snapshot's township assessment, as frozen.
SELECT region_code, region_name, indicator, value, target, target_date, completion, weight, score, total, rank
  FROM snapshot_assessment WHERE snapshot_id = :snapshot_id ORDER BY region_code, indicator
