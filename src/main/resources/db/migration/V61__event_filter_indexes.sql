-- The event stream's filters (type, index_id, task_id) read `sequence > ? AND <column> = ? ORDER BY sequence LIMIT ?`:
-- each gets an index on (column, sequence), so that a filtered replay or catch-up reads only matching rows in order
-- instead of scanning task_event (a million rows and more) or walking the whole sequence index.
CREATE INDEX task_event_by_type ON task_event (type, sequence);
CREATE INDEX task_event_by_index ON task_event (index_id, sequence);
CREATE INDEX task_event_by_task_sequence ON task_event (task_id, sequence);
