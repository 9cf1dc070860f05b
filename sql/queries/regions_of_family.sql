-- A region and each region one level below it (a county and its townships), by code: whose data
-- family_*.sql read at once.
SELECT code FROM regions WHERE code = :region OR parent_code = :region ORDER BY code
