package io.reelhook.subscriptions;

import io.reelhook.task.EventStore;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.subscriptions.SubscriptionStore.prepare;

/**
 * The delivery rows, set-based, each step one statement or a few for every subscription at once: recording the
 * outcomes of many requests, turning a batch of committed events into deliveries (the fan-out), and claiming due
 * deliveries for every subscription with room. The dispatcher runs the three in one transaction per round, so that
 * a round costs one durable commit, and a claim sees the outcomes and deliveries of its own round.
 */
@ApplicationScoped
class DeliveryStore {

    /**
     * Each subscription's next batch of events after its cursor, up to the newest event this statement sees: events
     * are numbered in commit order, so nothing can still commit below it. The cursor moves in the same statement.
     */
    private static final String FAN_OUT = """
            WITH head AS (SELECT coalesce(max(sequence), 0) AS top FROM task_event),
            subs AS (
                SELECT s.id, s.scanned, least(s.scanned + ?, head.top) AS upto, s.event_types, s.index_ids
                FROM subscription s, head WHERE s.enabled AND s.scanned < head.top
                FOR UPDATE OF s SKIP LOCKED
            ), made AS (
                INSERT INTO subscription_delivery (subscription_id, sequence, event_id, task_id, state, next_at, created_at)
                SELECT s.id, e.sequence, e.event_id, coalesce(e.task_id, e.asset_id), 'pending', now(), now()
                FROM subs s JOIN task_event e ON e.sequence > s.scanned AND e.sequence <= s.upto
                WHERE EXISTS (SELECT 1 FROM unnest(s.event_types) g WHERE e.type LIKE subscription_like(g))
                  AND (cardinality(s.index_ids) = 0 OR e.index_id = ANY (s.index_ids))
                ORDER BY e.sequence, s.id
                RETURNING 1
            ), moved AS (
                UPDATE subscription s SET scanned = subs.upto FROM subs WHERE s.id = subs.id RETURNING 1
            )
            SELECT (SELECT count(*) FROM made), (SELECT count(*) FROM moved)""";

    /**
     * For every enabled subscription with room, its oldest due deliveries whose task has no earlier unfinished one
     * (so per task one at a time, in order). SKIP LOCKED and the lease (next_at moved past it) keep instances apart.
     */
    private static final String CLAIM =
            """
            WITH busy(id, n) AS (SELECT * FROM unnest(?::uuid[], ?::int[])),
            subs AS (
                SELECT s.id, s.url, s.secret, CASE WHEN s.previous_until > now() THEN s.previous_secret END AS previous,
                       ? - coalesce(b.n, 0) AS room
                FROM subscription s LEFT JOIN busy b ON b.id = s.id
                WHERE s.enabled AND ? - coalesce(b.n, 0) > 0
            ), picked AS (
                SELECT d.id, s.url, s.secret, s.previous FROM subs s CROSS JOIN LATERAL (
                    SELECT d.id FROM subscription_delivery d
                    WHERE d.subscription_id = s.id AND d.state = 'pending' AND d.next_at <= now()
                      AND NOT EXISTS (SELECT 1 FROM subscription_delivery e WHERE e.subscription_id = d.subscription_id
                                      AND e.task_id = d.task_id AND e.state = 'pending' AND e.id < d.id)
                    ORDER BY d.next_at, d.id LIMIT s.room
                    FOR UPDATE SKIP LOCKED
                ) d
            ), claimed AS (
                UPDATE subscription_delivery d SET next_at = now() + ?::interval, lease_token = ?
                FROM picked p WHERE d.id = p.id
                RETURNING d.id AS delivery, d.subscription_id, d.attempts, d.sequence AS claimed, p.url, p.secret,
                          p.previous
            )
            SELECT c.delivery, c.subscription_id, c.attempts, c.url, c.secret, c.previous, """ + EventStore.COLUMNS + " FROM claimed c JOIN task_event e ON e.sequence = c.claimed";

    private final DataSource db;

    DeliveryStore(DataSource db) {
        this.db = db;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Turns up to {@code batch} new events per subscription into deliveries; answers how many cursors moved. */
    static int fanOut(Connection c, int batch) throws SQLException {
        try (PreparedStatement s = prepare(c, FAN_OUT, batch);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(2);
        }
    }

    /**
     * Claims, for each enabled subscription, as many due deliveries as it has room for: {@code perSubscription} less
     * what {@code busy} says this instance has in flight to it.
     */
    static List<Claim> claim(Connection c, Map<UUID, Integer> busy, int perSubscription, Duration lease, UUID token)
            throws SQLException {
        Array ids = c.createArrayOf("uuid", busy.keySet().toArray());
        Array counts = c.createArrayOf("int4", busy.values().toArray());
        try (PreparedStatement s = prepare(
                        c,
                        CLAIM,
                        ids,
                        counts,
                        perSubscription,
                        perSubscription,
                        lease.toMillis() + " milliseconds",
                        token);
                ResultSet r = s.executeQuery()) {
            List<Claim> claims = new ArrayList<>();
            while (r.next()) {
                String previous = r.getString("previous");
                List<String> secrets =
                        previous == null ? List.of(r.getString("secret")) : List.of(r.getString("secret"), previous);
                claims.add(new Claim(
                        r.getLong("delivery"),
                        r.getObject("subscription_id", UUID.class),
                        token,
                        r.getInt("attempts"),
                        r.getString("url"),
                        secrets,
                        EventStore.message(r)));
            }
            return claims;
        }
    }

    /**
     * Records attempts and their consequences: each delivery is delivered, failed or due again
     * (only while the claim's lease is still its own: a delivery another instance took over is that one's to record);
     * 410, or failures without a success for {@code disableAfter}, disable the subscription. Outcomes of deliveries
     * deleted meanwhile (with their subscription) are left out.
     */
    static void record(Connection c, List<Outcome> outcomes, Duration disableAfter) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        // one row per subscription: did any attempt succeed, did any answer 410
        Map<UUID, boolean[]> subs = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            boolean[] seen = subs.computeIfAbsent(o.claim().subscriptionId(), id -> new boolean[2]);
            seen[0] |= o.attempt().delivered();
            seen[1] |= o.attempt().gone();
        }
        int n = outcomes.size();
        Object[] delivery = new Object[n];
        Object[] token = new Object[n];
        Object[] at = new Object[n];
        Object[] status = new Object[n];
        Object[] latency = new Object[n];
        Object[] error = new Object[n];
        Object[] state = new Object[n];
        Object[] next = new Object[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            delivery[i] = o.claim().deliveryId();
            token[i] = o.claim().token();
            at[i] = Timestamp.from(o.attempt().at());
            status[i] = o.attempt().statusCode();
            latency[i] = o.attempt().latencyMs();
            error[i] = o.attempt().error() == null ? null : o.attempt().error().replace('\0', ' ');
            state[i] = o.state();
            next[i] = Timestamp.from(o.retryAt() == null ? Instant.now() : o.retryAt());
        }
        String disableAfterInterval = disableAfter.toMillis() + " milliseconds";
        // the subscription rows first, as a DELETE of a subscription locks them before its deliveries
        exec(
                c,
                """
                UPDATE subscription s SET
                    failing_since = CASE WHEN u.ok THEN NULL ELSE coalesce(s.failing_since, now()) END,
                    enabled = s.enabled AND NOT (u.gone OR (NOT u.ok AND coalesce(s.failing_since < now() - ?::interval, false))),
                    disabled_reason = CASE
                        WHEN s.enabled AND u.gone THEN 'the endpoint answered 410 Gone'
                        WHEN s.enabled AND NOT u.ok AND coalesce(s.failing_since < now() - ?::interval, false) THEN ?
                        ELSE s.disabled_reason END
                FROM unnest(?::uuid[], ?::boolean[], ?::boolean[]) u(id, ok, gone)
                WHERE s.id = u.id AND (u.gone OR CASE WHEN u.ok THEN s.failing_since IS NOT NULL
                    ELSE s.failing_since IS NULL OR s.failing_since < now() - ?::interval END)""",
                disableAfterInterval,
                disableAfterInterval,
                "every delivery failed for " + disableAfter,
                c.createArrayOf("uuid", subs.keySet().toArray()),
                c.createArrayOf("bool", subs.values().stream().map(v -> v[0]).toArray()),
                c.createArrayOf("bool", subs.values().stream().map(v -> v[1]).toArray()),
                disableAfterInterval);
        exec(
                c,
                """
                INSERT INTO subscription_attempt (delivery_id, at, status_code, latency_ms, error)
                SELECT u.id, u.at, u.status, u.latency, u.error
                FROM unnest(?::bigint[], ?::timestamptz[], ?::int[], ?::bigint[], ?::text[]) u(id, at, status, latency, error)
                WHERE EXISTS (SELECT 1 FROM subscription_delivery d WHERE d.id = u.id)""",
                c.createArrayOf("int8", delivery),
                c.createArrayOf("timestamptz", at),
                c.createArrayOf("int4", status),
                c.createArrayOf("int8", latency),
                c.createArrayOf("text", error));
        exec(
                c,
                """
                UPDATE subscription_delivery d SET attempts = d.attempts + 1, state = u.state, next_at = u.next,
                    lease_token = NULL, finished_at = CASE WHEN u.state = 'pending' THEN NULL ELSE now() END
                FROM unnest(?::bigint[], ?::uuid[], ?::text[], ?::timestamptz[]) u(id, token, state, next)
                WHERE d.id = u.id AND d.state = 'pending' AND d.lease_token = u.token""",
                c.createArrayOf("int8", delivery),
                c.createArrayOf("uuid", token),
                c.createArrayOf("text", state),
                c.createArrayOf("timestamptz", next));
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, params)) {
            s.executeUpdate();
        }
    }
}
