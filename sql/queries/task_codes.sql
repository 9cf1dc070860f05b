-- The task codes in the store: what a task report may name (with the tasks of the same import).
SELECT code FROM tasks
