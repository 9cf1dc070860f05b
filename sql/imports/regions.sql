-- Load regions from import_staging, replacing rows with the same code, then rebuild region_closure.
DELETE FROM regions WHERE code IN (SELECT code FROM import_staging);
INSERT INTO regions (code, name, level, parent_code)
SELECT code, name, level, NULLIF(parent_code, '') FROM import_staging;
DELETE FROM region_closure;
INSERT INTO region_closure (ancestor, descendant, depth)
WITH RECURSIVE walk (ancestor, descendant, depth) AS (
    SELECT code, code, 0 FROM regions
    UNION ALL
    SELECT w.ancestor, r.code, w.depth + 1
      FROM walk w JOIN regions r ON r.parent_code = w.descendant
     WHERE w.depth < 10
)
SELECT ancestor, descendant, depth FROM walk;
