-- 004_snapshots_actions: monthly snapshots (frozen figures of record), the month each import covers,
-- and the action items (督办事项) of the leadership group.

-- The last month an import vouches for ('YYYY-MM'); see ipmetrics/readiness.py for how it is set.
ALTER TABLE import_log ADD COLUMN IF NOT EXISTS data_through TEXT;

-- A snapshot is written once and never updated: a correction is a new revision of the same month.
CREATE SEQUENCE IF NOT EXISTS snapshot_id_seq;
CREATE TABLE IF NOT EXISTS snapshots (
    id                BIGINT PRIMARY KEY DEFAULT nextval('snapshot_id_seq'),
    month             TEXT NOT NULL,          -- 'YYYY-MM'
    revision          INTEGER NOT NULL,       -- 1, 2, … per month
    region_code       TEXT NOT NULL,          -- the region whose goals were frozen (the county)
    note              TEXT,
    reason            TEXT,                   -- why a revision was made (required from revision 2)
    frozen_by         TEXT NOT NULL,
    frozen_at         TIMESTAMP NOT NULL,
    data_sha256       TEXT NOT NULL,          -- of the records as they stood at the month's end
    indicators_sha256 TEXT NOT NULL,          -- of the goal definitions file
    settings_json     TEXT NOT NULL,          -- the settings in force (population basis …)
    sample            BOOLEAN NOT NULL,
    UNIQUE (month, revision)
);

-- Every goal's figures for the county and each township, as status_records() gives them.
CREATE TABLE IF NOT EXISTS snapshot_goals (
    snapshot_id          BIGINT NOT NULL,
    region_code          TEXT NOT NULL,
    region_name          TEXT NOT NULL,
    goal_id              TEXT NOT NULL,
    goal_name            TEXT NOT NULL,
    unit                 TEXT NOT NULL,
    comparator           TEXT NOT NULL,
    value                DOUBLE PRECISION,
    target               DOUBLE PRECISION,
    completion           DOUBLE PRECISION,
    expected             DOUBLE PRECISION,
    projection           DOUBLE PRECISION,
    status               TEXT NOT NULL,
    baseline             DOUBLE PRECISION,
    baseline_month       TEXT,
    gap                  DOUBLE PRECISION,
    monthly_pace_needed  DOUBLE PRECISION,
    anticipated_progress DOUBLE PRECISION,
    previous_value       DOUBLE PRECISION,
    change               DOUBLE PRECISION,
    definition           TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, region_code, goal_id)
);

-- The monthly series behind each frozen figure, so a snapshot's charts are the snapshot's own.
CREATE TABLE IF NOT EXISTS snapshot_series (
    snapshot_id BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    goal_id     TEXT NOT NULL,
    month       TEXT NOT NULL,
    value       DOUBLE PRECISION,
    source      TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, region_code, goal_id, month)
);

-- The named brands (article 五) and their status at the month's end.
CREATE TABLE IF NOT EXISTS snapshot_brands (
    snapshot_id BIGINT NOT NULL,
    name        TEXT NOT NULL,
    brand_type  TEXT NOT NULL,
    applicant   TEXT,
    region_code TEXT NOT NULL,
    status      TEXT NOT NULL,
    status_on   DATE,
    reg_no      TEXT,
    PRIMARY KEY (snapshot_id, name)
);

-- 督办事项: raised for a goal behind schedule, carried from meeting to meeting until closed.
CREATE TABLE IF NOT EXISTS actions (
    code         TEXT PRIMARY KEY,            -- e.g. DB-2025-12-01
    goal_id      TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    problem      TEXT NOT NULL,
    measure      TEXT NOT NULL,
    lead_unit    TEXT NOT NULL,
    co_units     TEXT,
    due_on       DATE NOT NULL,               -- 完成时限
    raised_month TEXT NOT NULL,               -- 'YYYY-MM' of the meeting that raised it
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closed_on    DATE,
    progress     TEXT,
    updated_by   TEXT,
    updated_at   TIMESTAMP
);
