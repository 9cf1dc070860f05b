-- Load task progress reports from import_staging, replacing reports with the same task and period.
DELETE FROM task_reports WHERE EXISTS (
    SELECT 1 FROM import_staging s WHERE s.task_code = task_reports.task_code AND s.period = task_reports.period);
INSERT INTO task_reports (task_code, period, status, progress, reporting_unit, reported_on)
SELECT task_code, period, status, progress, reporting_unit, CAST(reported_on AS DATE)
  FROM import_staging;
