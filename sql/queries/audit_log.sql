-- The audit log, newest first.
SELECT id, happened_at, actor, action, detail, client FROM audit_log ORDER BY happened_at DESC, id DESC LIMIT :limit
