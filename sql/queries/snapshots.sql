-- Every snapshot, newest month first, newest revision first.
SELECT id, month, revision, region_code, note, reason, frozen_by, frozen_at, data_sha256, indicators_sha256,
       settings_json, sample
  FROM snapshots ORDER BY month DESC, revision DESC
