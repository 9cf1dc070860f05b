-- Input of a snapshot's data hash: reported figures up to the month.
SELECT indicator, region_code, month, value FROM reported WHERE month <= :month_end
 ORDER BY indicator, region_code, month
