-- Twelve Labs' asset API (io.reelhook.assets, docs/assets.md). Ids are Twelve Labs' own: Reelhook invents none.
CREATE TABLE asset (
    id                  text PRIMARY KEY,
    method              text        NOT NULL,
    status              text        NOT NULL,
    filename            text,
    file_type           text,
    size_bytes          bigint,
    duration            double precision,
    width               integer,
    height              integer,
    user_metadata       jsonb,
    -- Twelve Labs' last answer about the asset (technical metadata, error, ...), served by GET /assets/{id}
    detail              jsonb,
    -- Reelhook's one-call convenience: index the asset here once it is ready
    index_id            text,
    enable_video_stream boolean,
    -- the multipart upload session that brings the asset's bytes, when there is one
    upload_id           text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- polling: Twelve Labs documents no webhook for assets
    next_poll_at        timestamptz,
    poll_attempts       integer     NOT NULL DEFAULT 0
);

CREATE INDEX asset_by_created ON asset (created_at);
-- due: processing, or ready and still to be indexed (Reelhook's index_id)
CREATE INDEX asset_due ON asset (next_poll_at) WHERE next_poll_at IS NOT NULL;

CREATE TABLE indexed_asset (
    id                  text PRIMARY KEY,
    index_id            text        NOT NULL,
    asset_id            text        NOT NULL,
    status              text        NOT NULL,
    enable_video_stream boolean,
    user_metadata       jsonb,
    -- Twelve Labs' last answer about the indexed asset (system_metadata, ...)
    detail              jsonb,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    indexed_at          timestamptz,
    next_poll_at        timestamptz,
    poll_attempts       integer     NOT NULL DEFAULT 0
);

CREATE INDEX indexed_asset_by_index ON indexed_asset (index_id, created_at);
CREATE INDEX indexed_asset_due ON indexed_asset (next_poll_at) WHERE status NOT IN ('ready', 'failed');
-- Reelhook indexes an asset once for its index_id, even if two instances see it ready together
CREATE UNIQUE INDEX indexed_asset_once ON indexed_asset (asset_id, index_id);

CREATE TABLE multipart_upload (
    id           text PRIMARY KEY,
    asset_id     text        NOT NULL,
    filename     text,
    total_size   bigint      NOT NULL,
    chunk_size   bigint      NOT NULL,
    total_chunks integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz
);

-- The chunks a client reported; the asset is polled once every chunk is in.
CREATE TABLE multipart_chunk (
    upload_id   text    NOT NULL REFERENCES multipart_upload (id) ON DELETE CASCADE,
    chunk_index integer NOT NULL,
    proof       text    NOT NULL,
    chunk_size  bigint,
    PRIMARY KEY (upload_id, chunk_index)
);

-- Asset and indexed-asset events share the event log (one sequence, one outbox): task_id is empty for them.
ALTER TABLE task_event
    ALTER COLUMN task_id DROP NOT NULL,
    ADD COLUMN asset_id text,
    ADD COLUMN indexed_asset_id text,
    ADD CONSTRAINT task_event_subject CHECK (task_id IS NOT NULL OR asset_id IS NOT NULL);

CREATE INDEX task_event_by_asset ON task_event (asset_id, sequence) WHERE asset_id IS NOT NULL;
CREATE UNIQUE INDEX task_event_one_indexed_completion ON task_event (indexed_asset_id)
    WHERE completes AND indexed_asset_id IS NOT NULL;

-- subscription_delivery.task_id is what orders deliveries: the event's task, or for an asset's event its asset
-- (EventMessage.subject()).
COMMENT ON COLUMN subscription_delivery.task_id IS 'the event''s subject: its task, or its asset';
