-- Outbound webhooks (io.reelhook.subscriptions). Each subscription scans task_event from its own cursor; the scan
-- inserts one delivery per matching event and moves the cursor in the same transaction, so a committed event is
-- turned into deliveries exactly once, across restarts and instances.
CREATE TABLE subscription (
    id              uuid PRIMARY KEY,
    url             text        NOT NULL,
    event_types     text[]      NOT NULL,
    index_ids       text[]      NOT NULL,
    description     text,
    enabled         boolean     NOT NULL,
    disabled_reason text,
    secret          text        NOT NULL,
    -- the secret before the last rotation: it signs beside the new one until previous_until
    previous_secret text,
    previous_until  timestamptz,
    -- the last task_event sequence scanned for this subscription
    scanned         bigint      NOT NULL,
    -- per-subscription concurrency 1: the instance that set busy_token sends; a crashed one's lease lapses
    busy_until      timestamptz,
    busy_token      uuid,
    -- claims go to the subscription served longest ago: fair across subscriptions
    claimed_at      timestamptz,
    -- the first failure since the last success; a subscription failing for long enough is disabled
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE subscription_delivery (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
    sequence        bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    task_id         text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_at         timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz
);

-- the claim: a subscription's due deliveries, and whether a task has an earlier unfinished one (per-task order)
CREATE INDEX subscription_delivery_pending ON subscription_delivery (subscription_id, id) WHERE state = 'pending';
CREATE INDEX subscription_delivery_task ON subscription_delivery (subscription_id, task_id, id) WHERE state = 'pending';
CREATE INDEX subscription_delivery_by_sequence ON subscription_delivery (subscription_id, sequence);

CREATE TABLE subscription_attempt (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     bigint      NOT NULL REFERENCES subscription_delivery (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    status_code     integer,
    latency_ms      bigint      NOT NULL,
    error           text
);

CREATE INDEX subscription_attempt_by_delivery ON subscription_attempt (delivery_id, id);
