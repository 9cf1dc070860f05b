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
 GROUP BY source, measure, region_code, month_start;
-- The source's dates in source_dates (migration 016) are rebuilt with its sums: a bulk load writes the
-- records without the import scripts that keep them. One branch per source; the others' `:source = …`
-- is false before any row is read, so only the source's own table is scanned.
DELETE FROM source_dates WHERE source = :source;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT source, on_date, ends, COUNT(*)
  FROM (SELECT 'trademarks' AS source, GREATEST(registered_on, COALESCE(well_known_on, registered_on)) AS on_date,
               FALSE AS ends
          FROM trademarks WHERE :source = 'trademarks'
        UNION ALL
        SELECT 'trademarks', ended_on, TRUE FROM trademarks WHERE :source = 'trademarks' AND ended_on IS NOT NULL
        UNION ALL
        SELECT 'patents', granted_on, FALSE FROM patents WHERE :source = 'patents'
        UNION ALL
        SELECT 'patents', ended_on, TRUE FROM patents WHERE :source = 'patents' AND ended_on IS NOT NULL
        UNION ALL
        SELECT 'pledges', registered_on, FALSE FROM pledges WHERE :source = 'pledges'
        UNION ALL
        SELECT 'enterprises',
               GREATEST(COALESCE(ip_standard_on, DATE '1900-01-01'), COALESCE(national_ip_on, DATE '1900-01-01'),
                        COALESCE(provincial_strong_on, DATE '1900-01-01')), FALSE
          FROM enterprises WHERE :source = 'enterprises') AS dated
 GROUP BY source, on_date, ends
