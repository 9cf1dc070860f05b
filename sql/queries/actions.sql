-- Every action item, newest raised first, with the text of the task it concerns (NULL without one, or when
-- the task is no longer in the store).
SELECT a.code, a.goal_id, a.region_code, a.problem, a.measure, a.lead_unit, a.co_units, a.due_on, a.raised_month,
       a.status, a.closed_on, a.progress, a.task_code, a.updated_by, a.updated_at, t.task AS task_text
  FROM actions a LEFT JOIN tasks t ON t.code = a.task_code
 ORDER BY a.raised_month DESC, a.code
