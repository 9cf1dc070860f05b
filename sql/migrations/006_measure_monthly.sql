-- 006_measure_monthly: the monthly change of every measure per lowest region, kept by the imports.
-- A county's pages and the peer panels read these sums instead of scanning millions of records on
-- every view; each import refreshes the regions it touches (sql/imports/refresh_measure_monthly.sql) in
-- its own transaction. A thing adds its amount in the month it starts and takes it back
-- in the month it ends (see measure_items in 002).
CREATE TABLE IF NOT EXISTS measure_monthly (
    source      TEXT NOT NULL,
    measure     TEXT NOT NULL,
    region_code TEXT NOT NULL,
    month_start DATE NOT NULL,
    delta       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (source, measure, region_code, month_start)
);
DELETE FROM measure_monthly;
INSERT INTO measure_monthly (source, measure, region_code, month_start, delta)
SELECT source, measure, region_code, month_start, SUM(delta)
  FROM (SELECT source, measure, region_code, CAST(date_trunc('month', start_on) AS DATE) AS month_start,
               amount AS delta
          FROM measure_items
        UNION ALL
        SELECT source, measure, region_code, CAST(date_trunc('month', end_on) AS DATE), -amount
          FROM measure_items WHERE end_on IS NOT NULL) AS changes
 GROUP BY source, measure, region_code, month_start
