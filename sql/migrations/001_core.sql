-- 001_core: the record tables of the store.
-- Portable SQL (DuckDB and PostgreSQL). No foreign keys: DuckDB cannot update or delete a referenced
-- row, and imports replace rows by natural key; the importer checks region codes instead.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) SELECT 'data_version', '0'
    WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'data_version');
INSERT INTO meta (key, value) SELECT 'sample_data', 'false'
    WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'sample_data');

-- province > city > county > township; parent_code is blank for the top of what is loaded.
CREATE TABLE IF NOT EXISTS regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township')),
    parent_code TEXT
);

-- Every (ancestor, descendant) pair, each region its own ancestor at depth 0; rebuilt on regions import.
CREATE TABLE IF NOT EXISTS region_closure (
    ancestor   TEXT NOT NULL,
    descendant TEXT NOT NULL,
    depth      INTEGER NOT NULL,
    PRIMARY KEY (ancestor, descendant)
);

CREATE TABLE IF NOT EXISTS population (
    region_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    resident    INTEGER,
    registered  INTEGER,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE IF NOT EXISTS trademarks (
    reg_no        TEXT PRIMARY KEY,
    mark_name     TEXT NOT NULL,
    holder        TEXT NOT NULL,
    region_code   TEXT NOT NULL,
    mark_type     TEXT NOT NULL CHECK (mark_type IN ('ordinary', 'collective', 'certification')),
    is_gi         BOOLEAN NOT NULL,
    industry      TEXT,
    registered_on DATE NOT NULL,
    ended_on      DATE,
    well_known_on DATE
);

CREATE TABLE IF NOT EXISTS patents (
    patent_no   TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    holder      TEXT NOT NULL,
    region_code TEXT NOT NULL,
    patent_type TEXT NOT NULL CHECK (patent_type IN ('invention', 'utility_model', 'design')),
    office      TEXT NOT NULL,
    industry    TEXT,
    applied_on  DATE,
    granted_on  DATE NOT NULL,
    ended_on    DATE
);

CREATE TABLE IF NOT EXISTS pledges (
    contract_no   TEXT PRIMARY KEY,
    enterprise    TEXT NOT NULL,
    region_code   TEXT NOT NULL,
    ip_type       TEXT,
    lender        TEXT,
    amount_wan    DECIMAL(18, 4) NOT NULL,
    registered_on DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS enterprises (
    credit_code          TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    region_code          TEXT NOT NULL,
    industry             TEXT,
    high_tech            BOOLEAN NOT NULL,
    tech_sme             BOOLEAN NOT NULL,
    ip_standard_on       DATE,
    national_ip_on       DATE,
    provincial_strong_on DATE
);

-- A figure reported by an authority for an indicator, region and month (stored as the month's last day).
-- It takes precedence over the value derived from records.
CREATE TABLE IF NOT EXISTS reported (
    indicator   TEXT NOT NULL,
    region_code TEXT NOT NULL,
    month       DATE NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (indicator, region_code, month)
);

CREATE SEQUENCE IF NOT EXISTS import_log_id_seq;
CREATE TABLE IF NOT EXISTS import_log (
    id            BIGINT PRIMARY KEY DEFAULT nextval('import_log_id_seq'),
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_loaded   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    imported_by   TEXT NOT NULL,
    imported_at   TIMESTAMP NOT NULL
);
