-- Every action item, newest raised first.
SELECT code, goal_id, region_code, problem, measure, lead_unit, co_units, due_on, raised_month, status, closed_on,
       progress, updated_by, updated_at
  FROM actions ORDER BY raised_month DESC, code
