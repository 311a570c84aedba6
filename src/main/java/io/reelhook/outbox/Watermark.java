package io.reelhook.outbox;

import io.reelhook.task.EventStore;
import io.reelhook.task.EventStore.EventStoreException;
import io.reelhook.task.EventStore.Stored;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The publication watermark (outbox_cursor): every event up to it was acknowledged by Kafka. Only the relay that
 * holds the outbox lock may move it.
 */
@ApplicationScoped
public class Watermark {

    /** What an event weighs in a relay batch: its metadata text plus a generous allowance for the other fields. */
    private static final String EVENT_BYTES = "(coalesce(octet_length(metadata::text), 0) + 512)";

    /** The granted outbox leader's advisory lock, in pg_locks. */
    private static final String OUTBOX_LOCK = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND classid::bigint = " + (OutboxRelay.LOCK_KEY >>> 32)
            + " AND objid::bigint = " + (OutboxRelay.LOCK_KEY & 0xffffffffL) + " AND objsubid = 1";

    private final EventStore store;
    private final DataSource db;

    public Watermark(EventStore store, DataSource db) {
        this.store = store;
        this.db = db;
    }

    /** How far publication is behind: unpublished events and the age of the oldest. */
    public record Lag(long count, Duration oldest) {}

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
        return store.query(
                "SELECT " + EventStore.COLUMNS + " FROM (SELECT *, sum(" + EVENT_BYTES
                        + ") OVER (ORDER BY sequence) AS upto"
                        + " FROM (SELECT * FROM task_event WHERE sequence > " + after
                        + " ORDER BY sequence LIMIT ?) next) e"
                        + " WHERE upto <= ? OR upto = " + EVENT_BYTES + " ORDER BY sequence",
                params);
    }

    /** SQL: true while backend {@code pid} holds the outbox leader's advisory lock. */
    static String holdsOutboxLock(String pid) {
        return "EXISTS (" + OUTBOX_LOCK + " AND pid = " + pid + ")";
    }

    /** Whether some instance's relay holds the outbox lock now (this one or another). */
    public boolean led() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT EXISTS (" + OUTBOX_LOCK + ")");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
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

    public Lag lag() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*), min(received_at) FROM task_event"
                        + " WHERE sequence > (SELECT published FROM outbox_cursor)");
                ResultSet r = s.executeQuery()) {
            r.next();
            Timestamp oldest = r.getTimestamp(2);
            return new Lag(
                    r.getLong(1), oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now()));
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    /** The relay's lock connection no longer holds the outbox lock: another instance may lead. */
    public static class LeadershipLostException extends RuntimeException {
        LeadershipLostException() {
            super("this relay no longer holds the outbox lock; the watermark was left alone");
        }
    }
}
