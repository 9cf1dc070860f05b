-- An account's login attempts since :since, newest first (for the lockout after repeated failures).
SELECT happened_at, action FROM audit_log
 WHERE actor = :actor AND action IN ('login', 'login_failed') AND happened_at >= :since
 ORDER BY happened_at DESC, id DESC
