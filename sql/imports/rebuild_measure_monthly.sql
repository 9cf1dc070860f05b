-- Rebuild measure_monthly (see migration 006) for one source, every region: 'trademarks', 'patents',
-- 'pledges' or 'enterprises'. Used after a bulk load (ipmetrics/synthetic.py); an import refreshes only
-- the regions it touches (refresh_measure_monthly.sql).
DELETE FROM measure_monthly WHERE source = :source;
INSERT INTO measure_monthly (source, measure, region_code, month_start, delta)
SELECT source, measure, region_code, month_start, SUM(delta)
  FROM (SELECT source, measure, region_code, CAST(date_trunc('month', start_on) AS DATE) AS month_start,
               amount AS delta
          FROM measure_items WHERE source = :source
        UNION ALL
        SELECT source, measure, region_code, CAST(date_trunc('month', end_on) AS DATE), -amount
          FROM measure_items WHERE source = :source AND end_on IS NOT NULL) AS changes
 GROUP BY source, measure, region_code, month_start
