-- 010_task_actions_snapshot_tasks: a 督办事项 may concern a task of the policy (任务分工) — its code, beside or
-- instead of an indicator; and a monthly snapshot freezes every task's standing at the month's end, so the
-- meeting reads the tasks as they stood, not as later reports change them. Items already stored concern
-- no task (NULL).
ALTER TABLE actions ADD COLUMN IF NOT EXISTS task_code TEXT;

-- Each task as themes/tasks.standing gives it at the snapshot's month's end.
CREATE TABLE IF NOT EXISTS snapshot_tasks (
    snapshot_id    BIGINT NOT NULL,
    code           TEXT NOT NULL,
    article        TEXT NOT NULL,
    task           TEXT NOT NULL,
    lead_unit      TEXT NOT NULL,
    co_units       TEXT,
    due_on         DATE,
    ongoing        BOOLEAN NOT NULL,
    indicator_ids  TEXT,
    period         TEXT,                       -- of the latest report made by then; NULL without one
    status         TEXT,
    progress       TEXT,
    reporting_unit TEXT,
    reported_on    DATE,
    status_label   TEXT NOT NULL,              -- 未启动 / 推进中 / 已完成 / 滞后 / 未汇报
    overdue        BOOLEAN NOT NULL,
    days_overdue   INTEGER,                    -- NULL when not overdue
    report_period  TEXT NOT NULL,              -- the quarter chased, e.g. 2026-Q3
    unreported     BOOLEAN NOT NULL,
    behind         BOOLEAN NOT NULL,
    PRIMARY KEY (snapshot_id, code)
);
