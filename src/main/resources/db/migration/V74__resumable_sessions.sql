-- A large resumable upload's Twelve Labs multipart session and the chunks it already holds, so that chunks go up
-- while the upload arrives and a restarted Reelhook sends only what Twelve Labs does not have
-- (io.reelhook.assets.Forwarding, docs/resumable.md). A chunk's row is written once its PUT was answered with an
-- ETag; `reported` once Twelve Labs took its report. A session that lapsed is replaced: its rows are deleted.
CREATE TABLE resumable_session (
    upload_id      text PRIMARY KEY REFERENCES resumable_upload (id) ON DELETE CASCADE,
    session_id     text        NOT NULL,
    asset_id       text,
    chunk_size     bigint      NOT NULL CHECK (chunk_size > 0),
    upload_headers jsonb       NOT NULL DEFAULT '{}',
    expires_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE resumable_chunk (
    upload_id   text    NOT NULL REFERENCES resumable_session (upload_id) ON DELETE CASCADE,
    chunk_index integer NOT NULL CHECK (chunk_index > 0),
    etag        text    NOT NULL,
    size        bigint  NOT NULL,
    reported    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (upload_id, chunk_index)
);
