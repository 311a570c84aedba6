-- Set when reconciliation gave up on a task past the horizon (an index.task.stalled event was recorded);
-- a later webhook still completes the task normally.
ALTER TABLE task ADD COLUMN stalled_at timestamptz;
