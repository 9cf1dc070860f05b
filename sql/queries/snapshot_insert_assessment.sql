-- A snapshot's township assessment, from import_staging.
INSERT INTO snapshot_assessment (snapshot_id, region_code, region_name, indicator, value, target, target_date,
                                 completion, weight, score, total, rank)
SELECT :snapshot_id, region_code, region_name, indicator, CAST(value AS DOUBLE PRECISION),
       CAST(target AS DOUBLE PRECISION), CAST(target_date AS DATE), CAST(completion AS DOUBLE PRECISION),
       CAST(weight AS DOUBLE PRECISION), CAST(score AS DOUBLE PRECISION), CAST(total AS DOUBLE PRECISION),
       CAST(rank AS INTEGER)
  FROM import_staging
