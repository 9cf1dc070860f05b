-- Record the SHA-256 of a repeatable view's file as applied (key 'view_sha256:<view>'; see
-- Store.apply_views): inserted the first time, updated after.
INSERT INTO meta (key, value) VALUES (:key, :value)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
