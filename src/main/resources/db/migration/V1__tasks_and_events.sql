-- A task is keyed by Twelve Labs' own task id: Reelhook invents no task ids.
CREATE TABLE task (
    id                  text PRIMARY KEY,
    index_id            text,
    video_id            text,
    status              text        NOT NULL,
    filename            text,
    size_bytes          bigint,
    duration            double precision,
    width               integer,
    height              integer,
    language            text,
    enable_video_stream boolean,
    user_metadata       jsonb,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- last time Reelhook learnt anything about the task; drives reconciliation
    heard_at            timestamptz NOT NULL,
    reconciled_at       timestamptz,
    reconcile_attempts  integer     NOT NULL DEFAULT 0
);

CREATE INDEX task_by_created ON task (created_at);
CREATE INDEX task_by_index ON task (index_id, created_at);
CREATE INDEX task_open ON task (heard_at) WHERE status NOT IN ('ready', 'failed');

-- One row per status event. Writers insert concurrently without any shared counter:
--   id        comes from a plain sequence at insert time; writers of one task hold that task's row lock,
--             so per task, id order is commit order.
--   sequence  is the public, gap-free-enough order that subscribers resume from. It is assigned after
--             commit by the single relay that holds the outbox lock, in id order, so a subscriber that
--             has seen sequence N can never later meet an event numbered below N.
--   published_at  set once Kafka acknowledged the event (transactional outbox).
CREATE TABLE task_event (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    sequence        bigint      UNIQUE,
    task_id         text        NOT NULL REFERENCES task (id),
    index_id        text,
    video_id        text,
    type            text        NOT NULL,
    status          text,
    previous_status text,
    source          text        NOT NULL CHECK (source IN ('upload', 'webhook', 'reconciler')),
    -- false when the event arrived out of order or conflicts with a terminal status: history only
    applied         boolean     NOT NULL,
    -- true for the one event that moved the task to ready/failed (topic twelvelabs.indexing-completed)
    completes       boolean     NOT NULL,
    notification_id text UNIQUE,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    metadata        jsonb,
    notification    jsonb,
    published_at    timestamptz
);

CREATE SEQUENCE task_event_sequence;
CREATE INDEX task_event_by_task ON task_event (task_id, id);
CREATE INDEX task_event_unsequenced ON task_event (id) WHERE sequence IS NULL;
CREATE INDEX task_event_unpublished ON task_event (sequence) WHERE published_at IS NULL AND sequence IS NOT NULL;
CREATE UNIQUE INDEX task_event_one_completion ON task_event (task_id) WHERE completes;

-- Wakes the relay at commit time (NOTIFY is delivered on commit only), so it never busy-polls.
CREATE FUNCTION task_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('task_event', '');
    RETURN NULL;
END $$;

CREATE TRIGGER task_event_inserted AFTER INSERT ON task_event
    FOR EACH STATEMENT EXECUTE FUNCTION task_event_notify();
