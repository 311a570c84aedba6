package io.reelhook.task;

import io.reelhook.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads the event log (task_event) for the outbox, the HTTP API and the stream. */
@ApplicationScoped
public class EventStore {

    /** What a read selects from task_event: the sequence and the columns the ledger writes that readers need. */
    public static final String COLUMNS = EventColumn.selected();

    /** A stored event with what the relay needs besides the public JSON. */
    public record Stored(boolean completes, EventMessage message) {

        public long sequence() {
            return message.sequence();
        }
    }

    @Inject
    DataSource db;

    /** Events of a range, a task or an asset (either bound may be null), after {@code after}, in sequence order. */
    public List<Stored> sequenced(Long from, Long to, String taskId, String assetId, long after, int limit) {
        List<Object> params =
                new ArrayList<>(List.of(after, from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to));
        String sql = "SELECT " + COLUMNS + " FROM task_event WHERE sequence > ? AND sequence BETWEEN ? AND ?"
                + new EventFilter(null, taskId, null, assetId).sql(params) + " ORDER BY sequence LIMIT ?";
        params.add(limit);
        return query(sql, params);
    }

    /** Events after {@code sequence} that match {@code filter}, in sequence order. */
    public List<EventMessage> after(long sequence, EventFilter filter, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = afterSql(sequence, filter, limit, params);
        return messages(query(sql, params));
    }

    /** The stream's query (V61 indexes each filter column with the sequence); fills {@code params}. */
    public static String afterSql(long sequence, EventFilter filter, int limit, List<Object> params) {
        params.add(sequence);
        String sql = "SELECT " + COLUMNS + " FROM task_event WHERE sequence > ?" + filter.sql(params)
                + " ORDER BY sequence LIMIT ?";
        params.add(limit);
        return sql;
    }

    /** A task's events, oldest first (commit order), or empty for an unknown task. */
    public Optional<List<EventMessage>> ofTask(String taskId) {
        List<Stored> events =
                query("SELECT " + COLUMNS + " FROM task_event WHERE task_id = ? ORDER BY id", List.of(taskId));
        if (events.isEmpty() && !exists(taskId)) {
            return Optional.empty();
        }
        return Optional.of(messages(events));
    }

    /** An asset's events and its indexed assets', oldest first (commit order), or empty for an unknown asset. */
    public Optional<List<EventMessage>> ofAsset(String assetId) {
        List<Stored> events =
                query("SELECT " + COLUMNS + " FROM task_event WHERE asset_id = ? ORDER BY sequence", List.of(assetId));
        if (events.isEmpty() && !exists("asset", assetId)) {
            return Optional.empty();
        }
        return Optional.of(messages(events));
    }

    public long maxSequence() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(max(sequence), 0) FROM task_event");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private boolean exists(String taskId) {
        return exists("task", taskId);
    }

    private boolean exists(String table, String id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    /** Runs a query that selects {@link #COLUMNS} from task_event. */
    public List<Stored> query(String sql, List<Object> params) {
        return select(sql, params, this::row);
    }

    /**
     * A task's events with what the public event leaves out, for the web console's timeline: whether each changed
     * the task, and the raw notification. Oldest first (commit order); empty for an unknown task.
     */
    public Optional<List<Recorded>> history(String taskId) {
        List<Recorded> events = select(
                "SELECT " + COLUMNS + ", applied, notification FROM task_event WHERE task_id = ? ORDER BY sequence",
                List.of(taskId),
                r -> new Recorded(
                        row(r).message(),
                        r.getBoolean("applied"),
                        r.getBoolean("completes"),
                        r.getString("notification")));
        if (events.isEmpty() && !exists(taskId)) {
            return Optional.empty();
        }
        return Optional.of(events);
    }

    /** An event as {@link #history} reads it. */
    public record Recorded(EventMessage message, boolean applied, boolean completes, String notification) {}

    private interface Row<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> List<T> select(String sql, List<Object> params, Row<T> row) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(row.read(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private Stored row(ResultSet r) throws SQLException {
        return new Stored(r.getBoolean("completes"), message(r));
    }

    /** The event of a row that holds {@link #COLUMNS} (completes aside), for readers that join task_event. */
    public static EventMessage message(ResultSet r) throws SQLException {
        return new EventMessage(
                r.getObject("event_id", UUID.class),
                r.getObject("sequence", Long.class),
                r.getString("type"),
                r.getString("task_id"),
                r.getString("asset_id"),
                r.getString("indexed_asset_id"),
                r.getString("video_id"),
                r.getString("index_id"),
                r.getString("status"),
                r.getString("previous_status"),
                r.getString("source"),
                r.getTimestamp("occurred_at").toInstant(),
                r.getTimestamp("received_at").toInstant(),
                r.getString("notification_id"),
                r.getString("metadata"));
    }

    private static List<EventMessage> messages(List<Stored> rows) {
        return rows.stream().map(Stored::message).toList();
    }

    /** The event log could not be read or written; callers retry or answer 503. */
    public static class EventStoreException extends Jdbc.DatabaseException {
        public EventStoreException(SQLException cause) {
            super(cause);
        }
    }
}
