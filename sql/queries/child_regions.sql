-- The regions one level below :region (the townships of a county), by code.
SELECT code, name, level FROM regions WHERE parent_code = :region ORDER BY code
