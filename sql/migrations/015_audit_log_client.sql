-- 015_audit_log_client: the per-client limit on failed logins reads a client's recent attempts.
CREATE INDEX IF NOT EXISTS audit_log_client_at ON audit_log (client, happened_at);
