package io.reelhook.task;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes a batch of observations, whatever they are (uploads, webhooks, reconciliations), with two statements
 * whatever the batch size: lock (creating) the tasks and read which notifications are already recorded, then insert
 * the events and move the tasks. A batch with uploads takes one more, between the two, for the uploads' details. The
 * caller owns the transaction. bench/webhook/ledger.sql replays the same SQL for the database's own ceiling: keep them
 * in step.
 */
@ApplicationScoped
class LedgerStore {

    // Rows lock in id order, so two batches naming the same tasks cannot deadlock; the no-op update takes the lock
    // and returns the latest committed state; xmax = 0 marks the rows this statement inserted. The recorded
    // notifications are read in the same round trip, but with the statement's snapshot: one committed by a writer
    // that this statement waited for is missed, the unique notification_id refuses the batch, and the retry sees it.
    private static final String LOCK = """
            WITH locked AS (
                INSERT INTO task AS t (id, index_id, video_id, status, created_at, updated_at, heard_at)
                SELECT u.id, u.index_id, u.video_id, u.status, u.created_at, u.created_at, ?
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                     AS u(id, index_id, video_id, status, created_at)
                ORDER BY u.id
                ON CONFLICT (id) DO UPDATE SET heard_at = excluded.heard_at
                RETURNING t.id, t.status, t.video_id, t.index_id, t.xmax = 0 AS created
            )
            SELECT id, status, video_id, index_id, created FROM locked
            UNION ALL
            SELECT notification_id, NULL, NULL, NULL, NULL FROM task_event WHERE notification_id = ANY(?::text[])""";
    // The tasks are locked by now, and this statement's snapshot sees every upload event committed before: a task
    // returned here has none yet and gets the details; one left out has its upload recorded already.
    private static final String DESCRIBE = """
            UPDATE task t SET filename = u.filename, size_bytes = u.size_bytes, duration = u.duration, width = u.width,
                              height = u.height, language = u.language, enable_video_stream = u.enable_video_stream,
                              user_metadata = u.user_metadata, created_at = least(t.created_at, u.answered_at)
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::float8[], ?::integer[], ?::integer[], ?::text[],
                        ?::boolean[], ?::jsonb[], ?::timestamptz[])
                 AS u(id, filename, size_bytes, duration, width, height, language, enable_video_stream, user_metadata,
                      answered_at)
            WHERE t.id = u.id AND NOT EXISTS (SELECT 1 FROM task_event e WHERE e.task_id = t.id AND e.source = 'upload')
            RETURNING t.id""";
    private static final String APPEND = """
            WITH events AS (
            %s
            ), tasks AS (
                UPDATE task t SET status = m.status, video_id = m.video_id, index_id = m.index_id,
                                  updated_at = CASE WHEN m.moved THEN ? ELSE t.updated_at END
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                     AS m(id, status, video_id, index_id, moved)
                WHERE t.id = m.id
            )
            SELECT 1""".formatted(EventWriter.INSERT);

    private final EventWriter writer;

    LedgerStore(EventWriter writer) {
        this.writer = writer;
    }
    /**
     * @param commit commit in the round trip of the last statement (the caller owns an open local transaction);
     *               false inside a caller's JTA transaction
     * @return per observation, the stored event, or null for a notification or an upload already recorded
     */
    List<TaskEvent> write(Connection connection, List<Observation> observations, OffsetDateTime now, boolean commit)
            throws SQLException {
        Map<String, LedgerPlan.TaskState> tasks = new HashMap<>();
        Set<String> recorded = new HashSet<>();
        lock(connection, observations, now, tasks, recorded);
        describe(connection, observations, tasks);
        Map<String, List<String>> before = snapshot(tasks);
        List<TaskEvent> events = LedgerPlan.apply(tasks, recorded, observations, now);
        List<TaskEvent> stored = events.stream().filter(Objects::nonNull).toList();
        List<LedgerPlan.TaskState> moved = changed(tasks, before);
        if (!stored.isEmpty() || !moved.isEmpty()) {
            append(connection, stored, moved, now, commit);
        } else if (commit) {
            connection.commit();
        }
        return events;
    }

    private void lock(
            Connection connection,
            List<Observation> observations,
            OffsetDateTime now,
            Map<String, LedgerPlan.TaskState> tasks,
            Set<String> recorded)
            throws SQLException {
        Map<String, Observation> firstByTask = new TreeMap<>();
        Map<String, OffsetDateTime> createdAt = new HashMap<>();
        for (Observation o : observations) {
            firstByTask.putIfAbsent(o.taskId(), o);
            // an upload stored late is dated when Twelve Labs answered it
            OffsetDateTime created = o.upload() != null && o.occurredAt() != null ? o.occurredAt() : now;
            createdAt.merge(o.taskId(), created, (a, b) -> a.isBefore(b) ? a : b);
        }
        Collection<Observation> firsts = firstByTask.values();
        try (PreparedStatement statement = EventWriter.prepare(connection, LOCK)) {
            int i = 0;
            statement.setObject(++i, now);
            statement.setArray(++i, writer.texts(connection, firsts, Observation::taskId));
            statement.setArray(++i, writer.texts(connection, firsts, Observation::indexId));
            statement.setArray(++i, writer.texts(connection, firsts, Observation::videoId));
            statement.setArray(
                    ++i,
                    writer.texts(
                            connection, firsts, o -> LedgerPlan.initialStatus(o).wire()));
            statement.setArray(++i, writer.texts(connection, firsts, o -> createdAt.get(o.taskId())));
            statement.setArray(
                    ++i,
                    writer.texts(
                            connection,
                            observations.stream()
                                    .map(Observation::notificationId)
                                    .filter(Objects::nonNull)
                                    .toList(),
                            Function.identity()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    String status = rows.getString(2);
                    if (status == null) {
                        recorded.add(id);
                    } else {
                        tasks.put(
                                id,
                                new LedgerPlan.TaskState(
                                        id,
                                        TaskStatus.parse(status).orElseThrow(),
                                        rows.getBoolean(5),
                                        rows.getString(3),
                                        rows.getString(4)));
                    }
                }
            }
        }
    }

    /** Writes the details of the batch's uploads to their tasks, and marks the tasks whose upload is recorded. */
    private void describe(
            Connection connection, List<Observation> observations, Map<String, LedgerPlan.TaskState> tasks)
            throws SQLException {
        Map<String, Observation> uploads = new TreeMap<>();
        observations.stream().filter(o -> o.upload() != null).forEach(o -> uploads.putIfAbsent(o.taskId(), o));
        if (uploads.isEmpty()) {
            return;
        }
        Collection<Observation> first = uploads.values();
        Set<String> described = new HashSet<>();
        try (PreparedStatement statement = EventWriter.prepare(connection, DESCRIBE)) {
            int i = 0;
            statement.setArray(++i, writer.texts(connection, first, Observation::taskId));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().filename()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().sizeBytes()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().duration()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().width()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().height()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().language()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().enableVideoStream()));
            statement.setArray(
                    ++i, writer.texts(connection, first, o -> o.upload().userMetadata()));
            statement.setArray(++i, writer.texts(connection, first, Observation::occurredAt));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    described.add(rows.getString(1));
                }
            }
        }
        uploads.keySet().forEach(id -> tasks.get(id).uploaded = !described.contains(id));
    }

    private void append(
            Connection connection,
            List<TaskEvent> stored,
            List<LedgerPlan.TaskState> tasks,
            OffsetDateTime now,
            boolean commit)
            throws SQLException {
        // the driver sends both statements before waiting: one round trip instead of two; after an error the
        // server skips the COMMIT and the caller rolls back
        try (PreparedStatement statement = EventWriter.prepare(connection, commit ? APPEND + ";\nCOMMIT" : APPEND)) {
            int i = writer.bind(connection, statement, 0, stored);
            statement.setObject(++i, now);
            statement.setArray(++i, writer.texts(connection, tasks, t -> t.id));
            statement.setArray(++i, writer.texts(connection, tasks, t -> t.status.wire()));
            statement.setArray(++i, writer.texts(connection, tasks, t -> t.videoId));
            statement.setArray(++i, writer.texts(connection, tasks, t -> t.indexId));
            statement.setArray(++i, writer.texts(connection, tasks, t -> t.moved));
            statement.execute();
        }
    }

    /** What the lock statement left in each row, to update only the tasks that the batch changed. */
    private static Map<String, List<String>> snapshot(Map<String, LedgerPlan.TaskState> tasks) {
        Map<String, List<String>> before = new HashMap<>();
        tasks.forEach((id, t) -> before.put(id, state(t)));
        return before;
    }

    private static List<LedgerPlan.TaskState> changed(
            Map<String, LedgerPlan.TaskState> tasks, Map<String, List<String>> before) {
        return tasks.values().stream()
                .filter(t -> !state(t).equals(before.get(t.id)))
                .toList();
    }

    private static List<String> state(LedgerPlan.TaskState task) {
        return Arrays.asList(task.status.wire(), task.videoId, task.indexId);
    }
}
