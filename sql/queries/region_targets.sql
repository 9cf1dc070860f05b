-- The targets assigned to one region (exactly that region), by indicator.
SELECT indicator, target, target_date, note FROM region_targets WHERE region_code = :region ORDER BY indicator
