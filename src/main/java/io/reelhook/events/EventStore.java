package io.reelhook.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads task_event rows for the relay, the HTTP API and the stream, and keeps the publication watermark. */
@ApplicationScoped
public class EventStore {

    private static final String COLUMNS = """
            event_id, sequence, type, task_id, video_id, index_id, status, previous_status, source, occurred_at,
            received_at, notification_id, metadata::text, completes""";
    /** What an event weighs in a relay batch: its metadata text plus a generous allowance for the other fields. */
    private static final String EVENT_BYTES = "(coalesce(octet_length(metadata::text), 0) + 512)";

    /** A stored event with what the relay needs besides the public JSON. */
    public record Stored(boolean completes, EventMessage message) {

        public long sequence() {
            return message.sequence();
        }
    }

    /** How far publication is behind: unpublished events and the age of the oldest. */
    public record Lag(long count, Duration oldest) {
    }

    @Inject
    DataSource db;

    /**
     * Events after the publication watermark, in sequence order: at most {@code limit}, and no more than
     * {@code maxBytes} of event text (estimated from the stored metadata) unless the first alone is larger.
     */
    public List<Stored> unpublished(int limit, long maxBytes) {
        return batch("(SELECT published FROM outbox_cursor)", List.of(limit, maxBytes));
    }

    /** {@link #unpublished} after a given sequence instead of the watermark. */
    List<Stored> batch(long after, int limit, long maxBytes) {
        return batch("?", List.of(after, limit, maxBytes));
    }

    private List<Stored> batch(String after, List<Object> params) {
        return query("SELECT " + COLUMNS + " FROM (SELECT *, sum(" + EVENT_BYTES + ") OVER (ORDER BY sequence) AS upto"
                + " FROM (SELECT * FROM task_event WHERE sequence > " + after + " ORDER BY sequence LIMIT ?) next) e"
                + " WHERE upto <= ? OR upto = " + EVENT_BYTES + " ORDER BY sequence", params);
    }

    /** SQL: true while backend {@code pid} holds the outbox leader's advisory lock. */
    static String holdsOutboxLock(String pid) {
        return "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = " + pid
                + " AND classid::bigint = " + (OutboxRelay.LOCK_KEY >>> 32)
                + " AND objid::bigint = " + (OutboxRelay.LOCK_KEY & 0xffffffffL) + " AND objsubid = 1)";
    }

    /** Events of a range or a task (either bound may be null), after {@code after}, in sequence order. */
    public List<Stored> sequenced(Long from, Long to, String taskId, long after, int limit) {
        List<Object> params = new ArrayList<>(List.of(after, from == null ? Long.MIN_VALUE : from,
                to == null ? Long.MAX_VALUE : to));
        String sql = "SELECT " + COLUMNS + " FROM task_event WHERE sequence > ? AND sequence BETWEEN ? AND ?"
                + new EventFilter(null, taskId, null).sql(params) + " ORDER BY sequence LIMIT ?";
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
    static String afterSql(long sequence, EventFilter filter, int limit, List<Object> params) {
        params.add(sequence);
        String sql = "SELECT " + COLUMNS + " FROM task_event WHERE sequence > ?" + filter.sql(params)
                + " ORDER BY sequence LIMIT ?";
        params.add(limit);
        return sql;
    }

    /** A task's events, oldest first (commit order), or empty for an unknown task. */
    public Optional<List<EventMessage>> ofTask(String taskId) {
        List<Stored> events = query("SELECT " + COLUMNS + " FROM task_event WHERE task_id = ? ORDER BY id",
                List.of(taskId));
        if (events.isEmpty() && !exists(taskId)) {
            return Optional.empty();
        }
        return Optional.of(messages(events));
    }

    /**
     * Moves the publication watermark up to {@code sequence}, never back, provided backend {@code lockPid} (the
     * relay's lock connection) still holds the outbox lock: a relay that lost the lead cannot move it.
     *
     * @throws LeadershipLostException when that backend no longer holds the lock
     */
    public void markPublished(long sequence, int lockPid) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE outbox_cursor SET published = greatest(published, ?)"
                     + " WHERE " + holdsOutboxLock("?"))) {
            s.setLong(1, sequence);
            s.setInt(2, lockPid);
            if (s.executeUpdate() == 0) {
                throw new LeadershipLostException();
            }
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    /** The watermark: every event up to it has been acknowledged by Kafka. */
    public long published() {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT published FROM outbox_cursor");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
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

    public Lag lag() {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*), min(received_at) FROM task_event"
                             + " WHERE sequence > (SELECT published FROM outbox_cursor)");
             ResultSet r = s.executeQuery()) {
            r.next();
            Timestamp oldest = r.getTimestamp(2);
            return new Lag(r.getLong(1),
                    oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now()));
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private boolean exists(String taskId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM task WHERE id = ?")) {
            s.setString(1, taskId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private List<Stored> query(String sql, List<Object> params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<Stored> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(row(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private Stored row(ResultSet r) throws SQLException {
        EventMessage message = new EventMessage(r.getObject("event_id", UUID.class),
                r.getObject("sequence", Long.class), r.getString("type"), r.getString("task_id"), r.getString("video_id"),
                r.getString("index_id"), r.getString("status"), r.getString("previous_status"), r.getString("source"),
                r.getTimestamp("occurred_at").toInstant(), r.getTimestamp("received_at").toInstant(),
                r.getString("notification_id"), r.getString("metadata"));
        return new Stored(r.getBoolean("completes"), message);
    }

    private static List<EventMessage> messages(List<Stored> rows) {
        return rows.stream().map(Stored::message).toList();
    }

    /** The relay's lock connection no longer holds the outbox lock: another instance may lead. */
    public static class LeadershipLostException extends RuntimeException {
        LeadershipLostException() {
            super("this relay no longer holds the outbox lock; the watermark was left alone");
        }
    }

    /** The database could not be read or written; callers retry or answer 503. */
    public static class EventStoreException extends RuntimeException {
        EventStoreException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
