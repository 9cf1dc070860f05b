-- A snapshot's goal figures, from import_staging.
INSERT INTO snapshot_goals (snapshot_id, region_code, region_name, goal_id, goal_name, unit, comparator, value,
                            target, completion, expected, projection, status, baseline, baseline_month, gap,
                            monthly_pace_needed, anticipated_progress, previous_value, change, definition,
                            frequency, period, likelihood, method, pace, pipeline)
SELECT :snapshot_id, region_code, region_name, goal_id, goal_name, unit, comparator, value, target, completion,
       expected, projection, status, baseline, baseline_month, gap, monthly_pace_needed, anticipated_progress,
       previous_value, change, definition, frequency, period, likelihood, method, pace, pipeline
  FROM import_staging
