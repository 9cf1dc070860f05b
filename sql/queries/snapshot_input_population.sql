-- Input of a snapshot's data hash: population up to the month's year.
SELECT region_code, year, resident, registered FROM population
 WHERE year <= EXTRACT(YEAR FROM CAST(:month_end AS DATE))
 ORDER BY region_code, year
