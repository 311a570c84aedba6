-- Events are numbered as they are inserted, and task_event rows are never updated afterwards. Before this, the
-- relay numbered and then marked every row after commit: two more versions of a row with several indexes, about two
-- thirds of the WAL written per webhook.
--
-- Numbering at insert keeps sequence order equal to commit order because every inserting transaction first takes
-- the lock below and holds it until it ends: a transaction draws its numbers only after every earlier drawer has
-- committed or rolled back. A reader that has seen sequence N can therefore never later meet a smaller one. The
-- commits were serialised already: PostgreSQL orders the commits of transactions that NOTIFY (the trigger
-- task_event_inserted) under one lock.
--
-- Stop the instances of an older version before this migration runs: they would still insert unnumbered rows.

CREATE FUNCTION task_event_lock_numbering() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- "taskevnt" in ASCII
    PERFORM pg_advisory_xact_lock(8386110886241529460);
    RETURN NULL;
END $$;

-- A statement-level BEFORE trigger fires before the statement computes its rows, so before any nextval() below.
CREATE TRIGGER task_event_numbering BEFORE INSERT ON task_event
    FOR EACH STATEMENT EXECUTE FUNCTION task_event_lock_numbering();

LOCK TABLE task_event IN SHARE ROW EXCLUSIVE MODE;

UPDATE task_event t SET sequence = n.sequence
FROM (SELECT id, nextval('task_event_sequence') AS sequence
      FROM (SELECT id FROM task_event WHERE sequence IS NULL ORDER BY id) unnumbered) n
WHERE t.id = n.id;

-- Publication is one watermark: every event up to `published` has been acknowledged by Kafka. The relay advances it
-- over the acknowledged prefix of each batch.
CREATE TABLE outbox_cursor (
    one       boolean PRIMARY KEY DEFAULT true CHECK (one),
    published bigint  NOT NULL
);

INSERT INTO outbox_cursor (published)
SELECT coalesce(min(sequence) FILTER (WHERE published_at IS NULL) - 1, max(sequence), 0) FROM task_event;

ALTER TABLE task_event
    ALTER COLUMN sequence SET DEFAULT nextval('task_event_sequence'),
    ALTER COLUMN sequence SET NOT NULL;

DROP INDEX task_event_unsequenced;
DROP INDEX task_event_unpublished;
DROP INDEX task_event_outbox_lag;
ALTER TABLE task_event DROP COLUMN published_at;
