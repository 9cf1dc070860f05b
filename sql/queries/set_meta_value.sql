-- Set one setting of the store; the key is created by a migration.
UPDATE meta SET value = :value WHERE key = :key
