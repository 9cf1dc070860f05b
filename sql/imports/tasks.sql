-- Load policy tasks from import_staging, replacing tasks with the same code.
DELETE FROM tasks WHERE code IN (SELECT code FROM import_staging);
INSERT INTO tasks (code, article, task, lead_unit, co_units, due_on, ongoing, indicator_ids)
SELECT code, article, task, lead_unit, co_units, CAST(due_on AS DATE), CAST(ongoing AS BOOLEAN), indicator_ids
  FROM import_staging;
