-- Which record sources hold anything at all: tells "no data" from "zero". EXISTS stops at the first
-- row, so this costs nothing however large the tables are (source_counts.sql counts and dates them).
SELECT 'trademarks' AS source, EXISTS (SELECT 1 FROM trademarks) AS loaded
UNION ALL SELECT 'patents', EXISTS (SELECT 1 FROM patents)
UNION ALL SELECT 'pledges', EXISTS (SELECT 1 FROM pledges)
UNION ALL SELECT 'enterprises', EXISTS (SELECT 1 FROM enterprises)
