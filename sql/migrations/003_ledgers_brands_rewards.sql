-- 003_ledgers_brands_rewards: record keys in measure_items (so every figure can list its records),
-- the brand candidates of article 五, and the reward events of article 十.

-- Dropped first: PostgreSQL's CREATE OR REPLACE VIEW cannot insert a column (record_key) before others.
DROP VIEW IF EXISTS measure_items;
CREATE VIEW measure_items AS
SELECT 'trademarks_valid' AS measure, 'trademarks' AS source, reg_no AS record_key, region_code,
       registered_on AS start_on, ended_on AS end_on, CAST(1 AS DOUBLE PRECISION) AS amount
  FROM trademarks
UNION ALL
SELECT 'trademarks_cumulative', 'trademarks', reg_no, region_code, registered_on, CAST(NULL AS DATE), 1
  FROM trademarks
UNION ALL
-- A well-known mark counts from its recognition, while the registration stays in force.
SELECT 'well_known_marks', 'trademarks', reg_no, region_code,
       CASE WHEN well_known_on > registered_on THEN well_known_on ELSE registered_on END, ended_on, 1
  FROM trademarks WHERE well_known_on IS NOT NULL
UNION ALL
SELECT 'gi_marks', 'trademarks', reg_no, region_code, registered_on, ended_on, 1
  FROM trademarks WHERE is_gi
UNION ALL
SELECT 'cn_invention_patents', 'patents', patent_no, region_code, granted_on, ended_on, 1
  FROM patents WHERE patent_type = 'invention' AND office = 'CN'
UNION ALL
SELECT 'pledge_deals', 'pledges', contract_no, region_code, registered_on, CAST(NULL AS DATE), 1
  FROM pledges
UNION ALL
SELECT 'pledge_amount_wan', 'pledges', contract_no, region_code, registered_on, CAST(NULL AS DATE),
       CAST(amount_wan AS DOUBLE PRECISION)
  FROM pledges
UNION ALL
SELECT 'national_ip_enterprises', 'enterprises', credit_code, region_code, national_ip_on, CAST(NULL AS DATE), 1
  FROM enterprises WHERE national_ip_on IS NOT NULL
UNION ALL
SELECT 'provincial_ip_enterprises', 'enterprises', credit_code, region_code, provincial_strong_on,
       CAST(NULL AS DATE), 1
  FROM enterprises WHERE provincial_strong_on IS NOT NULL
UNION ALL
SELECT 'ip_standard_certified', 'enterprises', credit_code, region_code, ip_standard_on, CAST(NULL AS DATE), 1
  FROM enterprises WHERE (high_tech OR tech_sme) AND ip_standard_on IS NOT NULL
UNION ALL
-- The enterprise list carries no listing date, so every listed firm counts from the start of time.
SELECT 'ip_standard_eligible', 'enterprises', credit_code, region_code, DATE '1900-01-01', CAST(NULL AS DATE), 1
  FROM enterprises WHERE high_tech OR tech_sme;

-- The marks article 五 names, with the dates of their application steps. The status at a month follows
-- from the dates (registered, rejected, published, accepted, filed, else not filed).
CREATE TABLE IF NOT EXISTS brands (
    name          TEXT PRIMARY KEY,
    brand_type    TEXT NOT NULL CHECK (brand_type IN ('collective', 'gi')),
    applicant     TEXT,
    region_code   TEXT NOT NULL,
    filed_on      DATE,
    accepted_on   DATE,
    published_on  DATE,
    registered_on DATE,
    rejected_on   DATE,
    reg_no        TEXT,
    note          TEXT,
    updated_by    TEXT,
    updated_at    TIMESTAMP
);

-- Events that earn a reward under article 十, one row per enterprise designation or patent grant.
CREATE OR REPLACE VIEW reward_events AS
SELECT 'national_enterprise' AS event, region_code, name AS beneficiary, credit_code AS record_key,
       name AS title, national_ip_on AS event_on
  FROM enterprises WHERE national_ip_on IS NOT NULL
UNION ALL
SELECT 'provincial_enterprise', region_code, name, credit_code, name, provincial_strong_on
  FROM enterprises WHERE provincial_strong_on IS NOT NULL
UNION ALL
SELECT 'foreign_patent', region_code, holder, patent_no, title, granted_on
  FROM patents WHERE office <> 'CN'
UNION ALL
SELECT 'domestic_invention', region_code, holder, patent_no, title, granted_on
  FROM patents WHERE office = 'CN' AND patent_type = 'invention';
