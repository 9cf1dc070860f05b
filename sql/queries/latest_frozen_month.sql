-- The newest month with a snapshot ('YYYY-MM'), NULL before the first freeze.
SELECT MAX(month) AS month FROM snapshots
