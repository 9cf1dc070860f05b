-- 013_designation_validity: national and provincial IP-strong designations end (a review not passed, a
-- revocation, a designation not renewed), a national designation may be upgraded from 优势企业 to 示范企业,
-- and a firm may have applied (or been recommended) and wait for its designation (issue 16).
-- Blank columns keep today's meaning: designated for good, one national date, no application known.
--
-- national_ip_on stays the date of the first national designation (优势 or 示范) — the date the national
-- goal counts the firm from and article 十's one-off national reward is paid on; national_demo_on is the
-- later date it became (or was directly designated) 示范企业. Two dates rather than a level column, so an
-- upgrade hides neither date and the level at any month follows from them. The reward_events view
-- (migration 003) reads national_ip_on and provincial_strong_on only, so an upgrade is never a second
-- national reward and the view needs no change.
ALTER TABLE enterprises ADD COLUMN IF NOT EXISTS national_demo_on DATE;
-- The first day a designation no longer holds; blank while it is valid.
ALTER TABLE enterprises ADD COLUMN IF NOT EXISTS national_ip_until DATE;
ALTER TABLE enterprises ADD COLUMN IF NOT EXISTS provincial_strong_until DATE;
-- The pipeline (view measure_candidates): the firm applied or was recommended on this date.
ALTER TABLE enterprises ADD COLUMN IF NOT EXISTS national_ip_applied_on DATE;
ALTER TABLE enterprises ADD COLUMN IF NOT EXISTS provincial_strong_applied_on DATE;
