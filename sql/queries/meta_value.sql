-- One setting of the store (data_version, sample_data, ...).
SELECT value FROM meta WHERE key = :key
