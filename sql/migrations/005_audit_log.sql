-- 005_audit_log: who did what, when, from where — every change to the store and every login attempt.
-- Written in the same transaction as the change it records.
CREATE SEQUENCE IF NOT EXISTS audit_log_id_seq;
CREATE TABLE IF NOT EXISTS audit_log (
    id     BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
    happened_at TIMESTAMP NOT NULL,
    actor  TEXT NOT NULL,        -- the editor's account, or the system user of a command
    action TEXT NOT NULL,        -- import, freeze, login, login_failed, login_locked, logout
    detail TEXT,
    client TEXT                  -- the browser's address where known, else 'cli'
);
CREATE INDEX IF NOT EXISTS audit_log_actor_at ON audit_log (actor, happened_at);
