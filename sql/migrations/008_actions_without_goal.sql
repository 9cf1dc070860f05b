-- 008_actions_without_goal: a 督办事项 need not concern an indicator. Raised on any indicator of the goal
-- file, or on none (a meeting decision, 会议决定), goal_id is NULL for the latter. Items already stored
-- keep their goal. (A later migration may add the task an item concerns as a column of its own.)
ALTER TABLE actions ALTER COLUMN goal_id DROP NOT NULL;
