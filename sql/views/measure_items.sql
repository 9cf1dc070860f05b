-- measure_items: one row per thing a goal counts, with the dates it starts and stops counting.
-- A thing is in force at a month-end d when start_on <= d and (end_on IS NULL OR end_on > d).
-- The goal registry (data/indicators.toml) names these measures; the metrics library sums them.
--
-- A repeatable view: the store re-creates it whenever this file changes (its SHA-256 is kept in the meta
-- table as view_sha256:measure_items) and rebuilds measure_monthly from it in the same transaction.
-- One branch per measure declared in ipmetrics/core/measures.py (MEASURES): the literal measure name,
-- its source table and that table's key as record_key (so every figure can list its records);
-- tests/test_measure_declarations.py checks the two agree. Migrations 002 and 003 hold its history.
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
-- 高价值发明专利: as the holder's office flags them (patents.high_value, migration 007).
SELECT 'cn_high_value_invention_patents', 'patents', patent_no, region_code, granted_on, ended_on, 1
  FROM patents WHERE patent_type = 'invention' AND office = 'CN' AND high_value
UNION ALL
SELECT 'pledge_deals', 'pledges', contract_no, region_code, registered_on, CAST(NULL AS DATE), 1
  FROM pledges
UNION ALL
SELECT 'pledge_amount_wan', 'pledges', contract_no, region_code, registered_on, CAST(NULL AS DATE),
       CAST(amount_wan AS DOUBLE PRECISION)
  FROM pledges
UNION ALL
-- A national or provincial designation counts from its date until it ends (a review not passed, revoked,
-- not renewed: national_ip_until, provincial_strong_until, migration 013). A national firm counts once,
-- whatever its level: national_ip_on is its first national designation (优势 or 示范); an upgrade to 示范
-- (national_demo_on) changes its level, not the count.
SELECT 'national_ip_enterprises', 'enterprises', credit_code, region_code, national_ip_on, national_ip_until, 1
  FROM enterprises WHERE national_ip_on IS NOT NULL
UNION ALL
SELECT 'provincial_ip_enterprises', 'enterprises', credit_code, region_code, provincial_strong_on,
       provincial_strong_until, 1
  FROM enterprises WHERE provincial_strong_on IS NOT NULL
UNION ALL
SELECT 'ip_standard_certified', 'enterprises', credit_code, region_code, ip_standard_on, CAST(NULL AS DATE), 1
  FROM enterprises WHERE (high_tech OR tech_sme) AND ip_standard_on IS NOT NULL
UNION ALL
-- The enterprise list carries no listing date, so every listed firm counts from the start of time.
SELECT 'ip_standard_eligible', 'enterprises', credit_code, region_code, DATE '1900-01-01', CAST(NULL AS DATE), 1
  FROM enterprises WHERE high_tech OR tech_sme;
