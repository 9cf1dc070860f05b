-- A snapshot's task standings, from import_staging (casts: a column all blank is staged untyped).
INSERT INTO snapshot_tasks (snapshot_id, code, article, task, lead_unit, co_units, due_on, ongoing, indicator_ids,
                            period, status, progress, reporting_unit, reported_on, status_label, overdue,
                            days_overdue, report_period, unreported, behind)
SELECT :snapshot_id, code, article, task, lead_unit, CAST(co_units AS TEXT), CAST(due_on AS DATE),
       CAST(ongoing AS BOOLEAN), CAST(indicator_ids AS TEXT), CAST(period AS TEXT), CAST(status AS TEXT),
       CAST(progress AS TEXT), CAST(reporting_unit AS TEXT), CAST(reported_on AS DATE), status_label,
       CAST(overdue AS BOOLEAN), CAST(days_overdue AS INTEGER), report_period, CAST(unreported AS BOOLEAN),
       CAST(behind AS BOOLEAN)
  FROM import_staging
