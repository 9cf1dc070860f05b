-- Input of a snapshot's data hash: the task reports made by the month's end; with none, the tasks and
-- their reports are left out of the hash (see snapshots.data_fingerprint).
SELECT task_code, period, status, progress, reporting_unit, reported_on
  FROM task_reports WHERE reported_on <= :month_end
 ORDER BY task_code, period
