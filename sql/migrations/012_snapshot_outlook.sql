-- 012_snapshot_outlook: what a snapshot said about each goal's outlook (issue 16), frozen with its figures:
-- the probability of meeting the target by its date, how the projection was made (linear | events), its
-- rate per period, and the pipeline of a small count goal (names joined by 、). Rows frozen before this
-- migration have NULLs: their cards recompute the likelihood from the frozen series.
ALTER TABLE snapshot_goals ADD COLUMN IF NOT EXISTS likelihood DOUBLE PRECISION;
ALTER TABLE snapshot_goals ADD COLUMN IF NOT EXISTS method TEXT;
ALTER TABLE snapshot_goals ADD COLUMN IF NOT EXISTS pace DOUBLE PRECISION;
ALTER TABLE snapshot_goals ADD COLUMN IF NOT EXISTS pipeline TEXT;
