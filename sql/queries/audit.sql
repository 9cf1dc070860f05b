-- One line of the audit log.
INSERT INTO audit_log (happened_at, actor, action, detail, client) VALUES (:at, :actor, :action, :detail, :client)
