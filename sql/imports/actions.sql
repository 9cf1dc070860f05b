-- Load action items from import_staging, replacing items with the same code; records who and when.
DELETE FROM actions WHERE code IN (SELECT code FROM import_staging);
INSERT INTO actions (code, goal_id, region_code, problem, measure, lead_unit, co_units, due_on, raised_month,
                          status, closed_on, progress, task_code, updated_by, updated_at)
SELECT code, goal_id, region_code, problem, measure, lead_unit, co_units, CAST(due_on AS DATE), raised_month,
       status, CAST(closed_on AS DATE), progress, CAST(task_code AS TEXT), :user, :now
  FROM import_staging;
