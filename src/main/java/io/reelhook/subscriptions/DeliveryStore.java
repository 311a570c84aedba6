package io.reelhook.subscriptions;

import jakarta.enterprise.context.ApplicationScoped;

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
import java.util.UUID;

import static io.reelhook.subscriptions.SubscriptionStore.prepare;

/**
 * The delivery rows. The scan turns committed events into deliveries and moves each subscription's cursor in the same
 * transaction; a claim takes, per subscription, the oldest due delivery whose task has no earlier unfinished one,
 * under a lease on the subscription row, so that instances share the work and no subscription gets two at once.
 */
@ApplicationScoped
class DeliveryStore {

    private final DataSource db;

    DeliveryStore(DataSource db) {
        this.db = db;
    }

    /** Inserts deliveries for events after each enabled subscription's cursor; answers how many. */
    int scan(int batch) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                int inserted = 0;
                List<Object[]> subs = new ArrayList<>();
                try (PreparedStatement s =
                                c.prepareStatement("SELECT id, event_types, index_ids, scanned FROM subscription"
                                        + " WHERE enabled AND scanned < (SELECT coalesce(max(sequence), 0) FROM task_event)"
                                        + " FOR UPDATE SKIP LOCKED");
                        ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        subs.add(new Object[] {
                            r.getObject(1, UUID.class),
                            SubscriptionStore.strings(r.getArray(2)).stream()
                                    .map(Glob::like)
                                    .toList(),
                            SubscriptionStore.strings(r.getArray(3)),
                            r.getLong(4)
                        });
                    }
                }
                for (Object[] sub : subs) {
                    inserted += scan(c, (UUID) sub[0], (List<?>) sub[1], (List<?>) sub[2], (long) sub[3], batch);
                }
                c.commit();
                return inserted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int scan(Connection c, UUID id, List<?> likes, List<?> indexIds, long scanned, int batch)
            throws SQLException {
        long upTo;
        try (PreparedStatement s = prepare(
                        c,
                        "SELECT max(sequence) FROM (SELECT sequence FROM task_event"
                                + " WHERE sequence > ? ORDER BY sequence LIMIT ?) next",
                        scanned,
                        batch);
                ResultSet r = s.executeQuery()) {
            r.next();
            upTo = r.getLong(1);
            if (r.wasNull()) {
                return 0;
            }
        }
        int inserted;
        try (PreparedStatement s = prepare(
                c,
                "INSERT INTO subscription_delivery (subscription_id, sequence, event_id,"
                        + " task_id, state, next_at, created_at) SELECT ?, sequence, event_id, task_id, 'pending', now(), now()"
                        + " FROM task_event WHERE sequence > ? AND sequence <= ? AND type LIKE ANY (?)"
                        + " AND (cardinality(?::text[]) = 0 OR index_id = ANY (?)) ORDER BY sequence",
                id,
                scanned,
                upTo,
                likes,
                indexIds,
                indexIds)) {
            inserted = s.executeUpdate();
        }
        try (PreparedStatement s = prepare(c, "UPDATE subscription SET scanned = ? WHERE id = ?", upTo, id)) {
            s.executeUpdate();
        }
        return inserted;
    }

    /** Up to {@code max} deliveries, each of a different subscription, fairly: the longest unserved first. */
    List<Claim> claim(int max, Duration lease, UUID token) throws SQLException {
        String sql = """
                WITH eligible AS (
                    SELECT DISTINCT ON (d.subscription_id) d.id, d.subscription_id, d.sequence, d.attempts
                    FROM subscription_delivery d
                    WHERE d.state = 'pending' AND d.next_at <= now()
                      AND NOT EXISTS (SELECT 1 FROM subscription_delivery e WHERE e.subscription_id = d.subscription_id
                                      AND e.task_id = d.task_id AND e.state = 'pending' AND e.id < d.id)
                    ORDER BY d.subscription_id, d.id
                ), picked AS (
                    SELECT s.id, e.id AS delivery, e.sequence, e.attempts FROM subscription s
                    JOIN eligible e ON e.subscription_id = s.id
                    WHERE s.enabled AND (s.busy_until IS NULL OR s.busy_until < now())
                    ORDER BY s.claimed_at NULLS FIRST LIMIT ?
                    FOR UPDATE OF s SKIP LOCKED
                )
                UPDATE subscription s SET busy_until = now() + ?::interval, busy_token = ?, claimed_at = now()
                FROM picked WHERE s.id = picked.id
                RETURNING picked.delivery, s.id, picked.sequence, picked.attempts, s.url, s.secret,
                          CASE WHEN s.previous_until > now() THEN s.previous_secret END""";
        try (Connection c = db.getConnection();
                PreparedStatement s = prepare(c, sql, max, lease.toMillis() + " milliseconds", token);
                ResultSet r = s.executeQuery()) {
            List<Claim> claims = new ArrayList<>();
            while (r.next()) {
                List<String> secrets =
                        r.getString(7) == null ? List.of(r.getString(6)) : List.of(r.getString(6), r.getString(7));
                claims.add(new Claim(
                        r.getLong(1),
                        r.getObject(2, UUID.class),
                        token,
                        r.getLong(3),
                        r.getInt(4),
                        r.getString(5),
                        secrets));
            }
            return claims;
        }
    }

    /**
     * Records an attempt and its consequence in one transaction: the delivery is delivered, failed or due again at
     * {@code retryAt}; the subscription's lease is released; 410 or failures for {@code disableAfter} disable it.
     */
    void finish(Claim claim, Attempt attempt, Instant retryAt, Duration disableAfter) throws SQLException {
        String state = attempt.delivered() ? "delivered" : retryAt == null ? "failed" : "pending";
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                exec(
                        c,
                        "INSERT INTO subscription_attempt (delivery_id, at, status_code, latency_ms, error)"
                                + " VALUES (?, ?, ?, ?, ?)",
                        claim.deliveryId(),
                        Timestamp.from(attempt.at()),
                        attempt.statusCode(),
                        attempt.latencyMs(),
                        attempt.error());
                exec(
                        c,
                        "UPDATE subscription_delivery SET attempts = attempts + 1, state = ?, next_at = ?,"
                                + " finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE now() END WHERE id = ?",
                        state,
                        Timestamp.from(retryAt == null ? Instant.now() : retryAt),
                        state,
                        claim.deliveryId());
                String reason =
                        attempt.gone() ? "the endpoint answered 410 Gone" : "every delivery failed for " + disableAfter;
                exec(
                        c,
                        "UPDATE subscription SET"
                                + " busy_until = CASE WHEN busy_token = ? THEN NULL ELSE busy_until END,"
                                + " failing_since = CASE WHEN ? THEN NULL ELSE coalesce(failing_since, now()) END,"
                                + " enabled = enabled AND NOT (? OR (NOT ? AND coalesce(failing_since < now() - ?::interval, false))),"
                                + " disabled_reason = CASE WHEN enabled AND (? OR (NOT ? AND coalesce(failing_since < now() - ?::interval, false)))"
                                + " THEN ? ELSE disabled_reason END WHERE id = ?",
                        claim.token(),
                        attempt.delivered(),
                        attempt.gone(),
                        attempt.delivered(),
                        disableAfter.toMillis() + " milliseconds",
                        attempt.gone(),
                        attempt.delivered(),
                        disableAfter.toMillis() + " milliseconds",
                        reason,
                        claim.subscriptionId());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Releases a lease without an attempt (the event could not be read, or this instance stops). */
    void release(Claim claim) throws SQLException {
        try (Connection c = db.getConnection()) {
            exec(
                    c,
                    "UPDATE subscription SET busy_until = NULL WHERE id = ? AND busy_token = ?",
                    claim.subscriptionId(),
                    claim.token());
        }
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, params)) {
            s.executeUpdate();
        }
    }
}
