-- 016_source_dates: per record source, how many records carry each date, kept by the writes, so that
-- source_counts.sql (how many records each source holds, its latest date: the newest month the dashboard
-- shows, "no data" against "zero") reads this small table instead of counting tens of millions of marks
-- after every start and every import.
--
-- Every record has exactly one row with ends = FALSE: the newest of its dates that count at once (a
-- registration, a grant, a well-known or a designation date; the month of a reported figure; the first
-- day of a population figure's year), so a source's records are the sum of those rows. A record with an
-- end date (a mark or patent that lapsed, or will) has a row with ends = TRUE as well: an end counts only
-- once it has passed, so the end dates are kept one by one (a few thousand distinct days) and the latest
-- date can be read for any later day. `records` is how many records carry that date; a date no record
-- carries any more is deleted. The import scripts (sql/imports/<source>.sql) take out the dates of the
-- rows they replace and add those of the rows they write, in the import's transaction;
-- rebuild_measure_monthly.sql rebuilds a source's dates with its monthly sums.
CREATE TABLE IF NOT EXISTS source_dates (
    source  TEXT NOT NULL,
    on_date DATE NOT NULL,
    ends    BOOLEAN NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (source, on_date, ends)
);
DELETE FROM source_dates;
INSERT INTO source_dates (source, on_date, ends, records)
SELECT source, on_date, ends, COUNT(*)
  FROM (SELECT 'trademarks' AS source, GREATEST(registered_on, COALESCE(well_known_on, registered_on)) AS on_date,
               FALSE AS ends
          FROM trademarks
        UNION ALL
        SELECT 'trademarks', ended_on, TRUE FROM trademarks WHERE ended_on IS NOT NULL
        UNION ALL
        SELECT 'patents', granted_on, FALSE FROM patents
        UNION ALL
        SELECT 'patents', ended_on, TRUE FROM patents WHERE ended_on IS NOT NULL
        UNION ALL
        SELECT 'pledges', registered_on, FALSE FROM pledges
        UNION ALL
        SELECT 'enterprises',
               GREATEST(COALESCE(ip_standard_on, DATE '1900-01-01'), COALESCE(national_ip_on, DATE '1900-01-01'),
                        COALESCE(provincial_strong_on, DATE '1900-01-01')), FALSE
          FROM enterprises
        UNION ALL
        SELECT 'population', make_date(year, 1, 1), FALSE FROM population
        UNION ALL
        SELECT 'reported', month, FALSE FROM reported) AS dated
 GROUP BY source, on_date, ends;
