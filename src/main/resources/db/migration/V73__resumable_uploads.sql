-- tus 1.0.0 resumable uploads at /uploads (io.reelhook.resumable, docs/resumable.md). The offset is stored only
-- after the spool file was fsynced up to it, so that a restarted Reelhook resumes from what is on disk. Ended
-- uploads keep their row (status expired or terminated) so that a later request gets 410 rather than 404.
CREATE TABLE resumable_upload (
    id                  text PRIMARY KEY,
    size                bigint      NOT NULL CHECK (size > 0),
    upload_offset       bigint      NOT NULL DEFAULT 0 CHECK (upload_offset >= 0 AND upload_offset <= size),
    status              text        NOT NULL
        CHECK (status IN ('receiving', 'complete', 'failed', 'expired', 'terminated')),
    filename            text,
    index_id            text,
    user_metadata       jsonb,
    enable_video_stream boolean,
    -- the client's Upload-Metadata header as sent, echoed by HEAD
    metadata_header     text,
    spool_path          text        NOT NULL,
    -- set by whatever turns a completed upload into an asset (io.reelhook.resumable.CompletedUploads)
    asset_id            text,
    indexed_asset_id    text,
    error               text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL
);

CREATE INDEX resumable_upload_expiring ON resumable_upload (expires_at) WHERE status = 'receiving';
