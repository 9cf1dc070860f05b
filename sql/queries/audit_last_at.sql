-- When the newest row of the audit log was written (NULL for an empty log).
SELECT MAX(happened_at) FROM audit_log
