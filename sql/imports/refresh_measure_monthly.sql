-- Refresh measure_monthly (see migration 006) for one source, in the regions this import touched
-- (import_regions, filled by touched/<source>.sql): a county's monthly file re-sums that county,
-- not the nation. Run by the importer after writing the source, in the same transaction.
DELETE FROM measure_monthly
 WHERE source = :source AND region_code IN (SELECT region_code FROM import_regions WHERE source = :source);
INSERT INTO measure_monthly (source, measure, region_code, month_start, delta)
SELECT source, measure, region_code, month_start, SUM(delta)
  FROM (SELECT source, measure, region_code, CAST(date_trunc('month', start_on) AS DATE) AS month_start,
               amount AS delta
          FROM measure_items
         WHERE source = :source AND region_code IN (SELECT region_code FROM import_regions WHERE source = :source)
        UNION ALL
        SELECT source, measure, region_code, CAST(date_trunc('month', end_on) AS DATE), -amount
          FROM measure_items
         WHERE source = :source AND end_on IS NOT NULL
           AND region_code IN (SELECT region_code FROM import_regions WHERE source = :source)) AS changes
 GROUP BY source, measure, region_code, month_start;
