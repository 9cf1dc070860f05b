-- 011_region_targets: the targets the county assigns to its townships (乡镇目标, import kind `targets`) and
-- the township assessment (乡镇考核) frozen with each snapshot.

-- A township's own target on an indicator of the goal file, with its date; the plan's own region keeps the
-- goal file's target. A new import of the same indicator and region replaces the row.
CREATE TABLE IF NOT EXISTS region_targets (
    indicator   TEXT NOT NULL,
    region_code TEXT NOT NULL,
    target      DOUBLE PRECISION NOT NULL,
    target_date DATE NOT NULL,
    note        TEXT,
    PRIMARY KEY (indicator, region_code)
);

-- The assessment as a snapshot froze it: one row per township and assessed indicator (target, completion and
-- score blank where none was assigned), with the township's total and rank repeated on each of its rows.
CREATE TABLE IF NOT EXISTS snapshot_assessment (
    snapshot_id BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    region_name TEXT NOT NULL,
    indicator   TEXT NOT NULL,
    value       DOUBLE PRECISION,
    target      DOUBLE PRECISION,
    target_date DATE,
    completion  DOUBLE PRECISION,
    weight      DOUBLE PRECISION NOT NULL,
    score       DOUBLE PRECISION,
    total       DOUBLE PRECISION,
    rank        INTEGER,
    PRIMARY KEY (snapshot_id, region_code, indicator)
);
