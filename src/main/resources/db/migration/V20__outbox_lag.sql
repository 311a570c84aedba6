-- Readiness and the lag gauges ask for the oldest unpublished event often; keep that an index-only look-up.
CREATE INDEX task_event_outbox_lag ON task_event (received_at) WHERE published_at IS NULL;
