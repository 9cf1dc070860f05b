-- Input of a snapshot's data hash: the policy's tasks (they carry no date, so all of them), hashed only
-- for a month by whose end some task report was made (see snapshots.data_fingerprint).
SELECT code, article, task, lead_unit, co_units, due_on, ongoing, indicator_ids FROM tasks ORDER BY code
