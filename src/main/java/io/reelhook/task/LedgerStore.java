package io.reelhook.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.postgresql.PGStatement;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a batch of observations with two statements whatever the batch size: lock (creating) the tasks and read
 * which notifications are already recorded, then insert the events and move the tasks. The caller owns the
 * transaction. bench/webhook/ledger.sql replays the same SQL for the database's own ceiling: keep them in step.
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
                SELECT u.id, u.index_id, u.video_id, u.status, ?, ?, ?
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS u(id, index_id, video_id, status)
                ORDER BY u.id
                ON CONFLICT (id) DO UPDATE SET heard_at = excluded.heard_at
                RETURNING t.id, t.status, t.video_id, t.index_id, t.xmax = 0 AS created
            )
            SELECT id, status, video_id, index_id, created FROM locked
            UNION ALL
            SELECT notification_id, NULL, NULL, NULL, NULL FROM task_event WHERE notification_id = ANY(?::text[])""";
    private static final String APPEND = """
            WITH events AS (
                INSERT INTO task_event (event_id, task_id, index_id, video_id, type, status, previous_status, source,
                                        applied, completes, notification_id, occurred_at, received_at, metadata,
                                        notification)
                SELECT e.event_id, e.task_id, e.index_id, e.video_id, e.type, e.status, e.previous_status, e.source,
                       e.applied, e.completes, e.notification_id, e.occurred_at, e.received_at, e.metadata::jsonb,
                       e.notification
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::boolean[], ?::boolean[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[],
                            ?::text[])
                     WITH ORDINALITY AS e(event_id, task_id, index_id, video_id, type, status, previous_status, source,
                                          applied, completes, notification_id, occurred_at, received_at, metadata,
                                          notification, position)
                ORDER BY e.position
            ), tasks AS (
                UPDATE task t SET status = m.status, video_id = m.video_id, index_id = m.index_id,
                                  updated_at = CASE WHEN m.moved THEN ? ELSE t.updated_at END
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                     AS m(id, status, video_id, index_id, moved)
                WHERE t.id = m.id
            )
            SELECT 1""";

    @Inject
    ObjectMapper json;

    /**
     * @param commit commit in the round trip of the last statement (the caller owns an open local transaction);
     *               false inside a caller's JTA transaction
     * @return per observation, the stored event, or null for a notification already recorded
     */
    List<TaskEvent> write(Connection connection, List<Observation> observations, OffsetDateTime now, boolean commit)
            throws SQLException {
        Map<String, LedgerPlan.TaskState> tasks = new HashMap<>();
        Set<String> recorded = new HashSet<>();
        lock(connection, observations, now, tasks, recorded);
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

    private static void lock(
            Connection connection,
            List<Observation> observations,
            OffsetDateTime now,
            Map<String, LedgerPlan.TaskState> tasks,
            Set<String> recorded)
            throws SQLException {
        Map<String, Observation> firstByTask = new TreeMap<>();
        observations.forEach(o -> firstByTask.putIfAbsent(o.taskId(), o));
        List<Observation> firsts = List.copyOf(firstByTask.values());
        try (PreparedStatement statement = prepare(connection, LOCK)) {
            statement.setObject(1, now);
            statement.setObject(2, now);
            statement.setObject(3, now);
            statement.setArray(
                    4,
                    texts(connection, firsts.stream().map(Observation::taskId).toList()));
            statement.setArray(
                    5,
                    texts(connection, firsts.stream().map(Observation::indexId).toList()));
            statement.setArray(
                    6,
                    texts(connection, firsts.stream().map(Observation::videoId).toList()));
            statement.setArray(
                    7,
                    texts(
                            connection,
                            firsts.stream()
                                    .map(o -> LedgerPlan.initialStatus(o).wire())
                                    .toList()));
            statement.setArray(
                    8,
                    texts(
                            connection,
                            observations.stream()
                                    .map(Observation::notificationId)
                                    .filter(Objects::nonNull)
                                    .toList()));
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

    private void append(
            Connection connection,
            List<TaskEvent> events,
            List<LedgerPlan.TaskState> tasks,
            OffsetDateTime now,
            boolean commit)
            throws SQLException {
        // the driver sends both statements before waiting: one round trip instead of two; after an error the
        // server skips the COMMIT and the caller rolls back
        try (PreparedStatement statement = prepare(connection, commit ? APPEND + ";\nCOMMIT" : APPEND)) {
            int i = 0;
            statement.setArray(
                    ++i,
                    connection.createArrayOf(
                            "text",
                            events.stream().map(e -> e.eventId.toString()).toArray()));
            statement.setArray(
                    ++i, texts(connection, events.stream().map(e -> e.taskId).toList()));
            statement.setArray(
                    ++i, texts(connection, events.stream().map(e -> e.indexId).toList()));
            statement.setArray(
                    ++i, texts(connection, events.stream().map(e -> e.videoId).toList()));
            statement.setArray(
                    ++i, texts(connection, events.stream().map(e -> e.type).toList()));
            statement.setArray(
                    ++i, texts(connection, events.stream().map(e -> e.status).toList()));
            statement.setArray(
                    ++i,
                    texts(connection, events.stream().map(e -> e.previousStatus).toList()));
            statement.setArray(
                    ++i, texts(connection, events.stream().map(e -> e.source).toList()));
            statement.setArray(
                    ++i,
                    connection.createArrayOf(
                            "bool", events.stream().map(e -> e.applied).toArray()));
            statement.setArray(
                    ++i,
                    connection.createArrayOf(
                            "bool", events.stream().map(e -> e.completes).toArray()));
            statement.setArray(
                    ++i,
                    texts(connection, events.stream().map(e -> e.notificationId).toList()));
            statement.setArray(
                    ++i,
                    texts(
                            connection,
                            events.stream().map(e -> e.occurredAt.toString()).toList()));
            statement.setArray(
                    ++i,
                    texts(
                            connection,
                            events.stream().map(e -> e.receivedAt.toString()).toList()));
            statement.setArray(
                    ++i,
                    texts(
                            connection,
                            events.stream().map(e -> toJson(e.metadata)).toList()));
            statement.setArray(
                    ++i,
                    texts(connection, events.stream().map(e -> e.notification).toList()));
            statement.setObject(++i, now);
            statement.setArray(
                    ++i, texts(connection, tasks.stream().map(t -> t.id).toList()));
            statement.setArray(
                    ++i,
                    texts(connection, tasks.stream().map(t -> t.status.wire()).toList()));
            statement.setArray(
                    ++i, texts(connection, tasks.stream().map(t -> t.videoId).toList()));
            statement.setArray(
                    ++i, texts(connection, tasks.stream().map(t -> t.indexId).toList()));
            statement.setArray(
                    ++i,
                    connection.createArrayOf(
                            "bool", tasks.stream().map(t -> t.moved).toArray()));
            statement.execute();
        }
    }

    /**
     * Planned anew for each batch, with its arrays: a generic plan, which the driver and the server settle on after a
     * few executions, is costed while the tables are still small and then keeps scanning them whole as they grow
     * (the task update joined the batch with a sequential scan of task on every commit).
     */
    private static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        return statement;
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

    private String toJson(Map<String, Object> value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
