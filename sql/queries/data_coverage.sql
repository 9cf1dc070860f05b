-- Per import kind: the last month any import vouches for (NULL for imports logged before 004),
-- the latest import time, and how many imports there were.
SELECT kind, MAX(data_through) AS data_through, MAX(imported_at) AS last_import, COUNT(*) AS imports
  FROM import_log
 GROUP BY kind
