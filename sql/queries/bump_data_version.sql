-- Every committed import bumps the data version, so caches keyed on it are refreshed.
UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'
