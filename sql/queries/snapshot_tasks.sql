-- One snapshot's task standings, by code.
SELECT code, article, task, lead_unit, co_units, due_on, ongoing, indicator_ids, period, status, progress,
       reporting_unit, reported_on, status_label, overdue, days_overdue, report_period, unreported, behind
  FROM snapshot_tasks WHERE snapshot_id = :snapshot_id ORDER BY code
