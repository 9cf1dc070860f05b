-- Every task progress report, by task and period.
SELECT task_code, period, status, progress, reporting_unit, reported_on
  FROM task_reports ORDER BY task_code, period
