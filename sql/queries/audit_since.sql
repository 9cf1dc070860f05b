-- The audit log's rows after :since, oldest first (the rows a restore carries into the restored store).
SELECT happened_at, actor, action, detail, client FROM audit_log WHERE happened_at > :since ORDER BY happened_at, id
