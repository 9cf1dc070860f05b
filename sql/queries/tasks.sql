-- Every policy task, by code.
SELECT code, article, task, lead_unit, co_units, due_on, ongoing, indicator_ids
  FROM tasks ORDER BY code
