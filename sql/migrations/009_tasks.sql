-- 009_tasks: the policy's tasks (任务分工: each article's tasks, lead and co-operating units, due date or 长期)
-- and the progress the units report on them, one report per task and period (任务进展).
CREATE TABLE IF NOT EXISTS tasks (
    code          TEXT PRIMARY KEY,            -- e.g. RW-11-01
    article       TEXT NOT NULL,               -- as the policy writes it: 第（十一）条
    task          TEXT NOT NULL,
    lead_unit     TEXT NOT NULL,
    co_units      TEXT,
    due_on        DATE,                        -- NULL when ongoing
    ongoing       BOOLEAN NOT NULL DEFAULT FALSE,  -- 长期
    indicator_ids TEXT                         -- linked indicator ids, comma-separated as given
);

-- A report is for a month ('2025-09') or a quarter ('2025-Q3'), in periods.period_text's form.
CREATE TABLE IF NOT EXISTS task_reports (
    task_code      TEXT NOT NULL,
    period         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'behind')),
    progress       TEXT,
    reporting_unit TEXT NOT NULL,
    reported_on    DATE NOT NULL,
    PRIMARY KEY (task_code, period)
);
