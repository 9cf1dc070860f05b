-- A new snapshot's header row; its id comes back for the rows that follow.
INSERT INTO snapshots (month, revision, region_code, note, reason, frozen_by, frozen_at, data_sha256,
                       indicators_sha256, settings_json, sample)
VALUES (:month, :revision, :region_code, :note, :reason, :frozen_by, :frozen_at, :data_sha256,
        :indicators_sha256, :settings_json, :sample)
RETURNING id
