-- Input of a snapshot's data hash: the regions.
SELECT code, name, level, parent_code FROM regions ORDER BY code
