-- The newest snapshot's number: it grows with every freeze or revision, so caches of what reads snapshots
-- (the meeting view compares with the snapshot before) follow a freeze made anywhere, the CLI included.
SELECT COALESCE(MAX(id), 0) AS version FROM snapshots
