-- 007_periods_high_value: indicators counted by quarter or year, and high-value invention patents.
-- A snapshot row says which of the goal's periods its value is (2025-Q3) and at what frequency; rows
-- frozen before this migration are monthly (NULL). Their series rows name the period in `month`.
ALTER TABLE snapshot_goals ADD COLUMN IF NOT EXISTS frequency TEXT;
ALTER TABLE snapshot_goals ADD COLUMN IF NOT EXISTS period TEXT;
-- 高价值发明专利 by the national definition (strategic emerging industries, a family abroad, pledge
-- financing over 10 million yuan, in force over 10 years, or a national prize), as the holder reports it.
ALTER TABLE patents ADD COLUMN IF NOT EXISTS high_value BOOLEAN DEFAULT FALSE;
