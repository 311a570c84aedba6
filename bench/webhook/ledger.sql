-- pgbench: one webhook per transaction, the exact statements of io.reelhook.task.LedgerStore for a batch of one
-- (a new task, a new notification), with values of the same size as LoadGen's. Keep in step with LedgerStore.
\set n random(1, 1000000000000000)
BEGIN;
WITH locked AS (
    INSERT INTO task AS t (id, index_id, video_id, status, created_at, updated_at, heard_at)
    SELECT u.id, u.index_id, u.video_id, u.status, u.created_at, u.created_at, now()
    FROM unnest(ARRAY['task_pgbench_' || :client_id || '_' || :n], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['ready'],
                ARRAY[now()])
         AS u(id, index_id, video_id, status, created_at)
    ORDER BY u.id
    ON CONFLICT (id) DO UPDATE SET heard_at = excluded.heard_at
    RETURNING t.id, t.status, t.video_id, t.index_id, t.xmax = 0 AS created
)
SELECT id, status, video_id, index_id, created FROM locked
UNION ALL
SELECT notification_id, NULL, NULL, NULL, NULL FROM task_event
WHERE notification_id = ANY(ARRAY['whe_pgbench_' || :client_id || '_' || :n]);
WITH events AS (
    INSERT INTO task_event (event_id, task_id, index_id, video_id, type, status, previous_status, source,
                            applied, completes, notification_id, occurred_at, received_at, metadata,
                            notification)
    SELECT e.event_id, e.task_id, e.index_id, e.video_id, e.type, e.status, e.previous_status, e.source,
           e.applied, e.completes, e.notification_id, e.occurred_at, e.received_at, e.metadata, e.notification
    FROM unnest(ARRAY[gen_random_uuid()::text]::uuid[], ARRAY['task_pgbench_' || :client_id || '_' || :n],
                ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['index.task.ready'], ARRAY['ready'], ARRAY[NULL]::text[],
                ARRAY['webhook'], ARRAY[true], ARRAY[true], ARRAY['whe_pgbench_' || :client_id || '_' || :n],
                ARRAY['2026-01-02T03:04:05Z']::timestamptz[], ARRAY[now()::text]::timestamptz[],
                ARRAY['{"duration":30.5,"models":[{"name":"marengo2.7","options":["visual","audio"]}],"tags":[]}']::jsonb[],
                ARRAY['{"id":"whe_pgbench_' || :client_id || '_' || :n || '","created_at":"2026-01-02T03:04:05Z","type":"index.task.ready","data":{"id":"task_pgbench_' || :client_id || '_' || :n || '","metadata":{"duration":30.5},"status":"ready","models":[{"name":"marengo2.7","options":["visual","audio"]}],"tags":[]}}'])
         WITH ORDINALITY AS e(event_id, task_id, index_id, video_id, type, status, previous_status, source,
                              applied, completes, notification_id, occurred_at, received_at, metadata,
                              notification, position)
    ORDER BY e.position
), tasks AS (
    UPDATE task t SET status = m.status, video_id = m.video_id, index_id = m.index_id,
                      updated_at = CASE WHEN m.moved THEN now() ELSE t.updated_at END
    FROM unnest('{}'::text[], '{}'::text[], '{}'::text[], '{}'::text[], '{}'::boolean[])
         AS m(id, status, video_id, index_id, moved)
    WHERE t.id = m.id
)
SELECT 1;
COMMIT;
