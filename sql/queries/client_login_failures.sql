-- A client's failed login attempts (any accounts) since :since, newest first, for the per-client limit
-- (a wrong password or unknown account, an attempt on a locked account, the row of a refused client).
SELECT happened_at, action FROM audit_log
 WHERE client = :client AND action IN ('login_failed', 'login_locked', 'login_throttled') AND happened_at >= :since
 ORDER BY happened_at DESC, id DESC
 LIMIT :limit
