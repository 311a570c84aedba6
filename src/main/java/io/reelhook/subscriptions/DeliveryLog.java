package io.reelhook.subscriptions;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.subscriptions.SubscriptionStore.instant;
import static io.reelhook.subscriptions.SubscriptionStore.prepare;

/** A subscription's deliveries as the API shows them, and replays (new deliveries for past events). */
@ApplicationScoped
class DeliveryLog {

    private final DataSource db;

    DeliveryLog(DataSource db) {
        this.db = db;
    }

    /** The newest {@code limit} deliveries (optionally of one status), newest first, each with its attempts. */
    List<Delivery> deliveries(UUID subscription, String status, int limit) throws SQLException {
        try (Connection c = db.getConnection()) {
            Map<Long, Delivery> found = new LinkedHashMap<>();
            try (PreparedStatement s = prepare(
                            c,
                            "SELECT id, event_id, sequence, task_id, state, created_at, next_at,"
                                    + " finished_at FROM subscription_delivery WHERE subscription_id = ? AND (?::text IS NULL OR state = ?)"
                                    + " ORDER BY id DESC LIMIT ?",
                            subscription,
                            status,
                            status,
                            limit);
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String state = r.getString("state");
                    found.put(
                            r.getLong("id"),
                            new Delivery(
                                    r.getLong("id"),
                                    r.getObject("event_id", UUID.class),
                                    r.getLong("sequence"),
                                    r.getString("task_id"),
                                    state,
                                    instant(r.getTimestamp("created_at")),
                                    state.equals("pending") ? instant(r.getTimestamp("next_at")) : null,
                                    instant(r.getTimestamp("finished_at")),
                                    new ArrayList<>()));
                }
            }
            if (!found.isEmpty()) {
                try (PreparedStatement s = prepare(
                                c,
                                "SELECT delivery_id, at, status_code, latency_ms, error"
                                        + " FROM subscription_attempt WHERE delivery_id = ANY (?::bigint[]) ORDER BY id",
                                found.keySet().stream().map(String::valueOf).toList());
                        ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.get(r.getLong(1))
                                .attempts()
                                .add(new Attempt(
                                        instant(r.getTimestamp(2)),
                                        (Integer) r.getObject(3),
                                        r.getLong(4),
                                        r.getString(5),
                                        null));
                    }
                }
            }
            return List.copyOf(found.values());
        }
    }

    /** New pending deliveries for the matching events in the range, or for failed deliveries not yet replayed. */
    int replay(UUID subscription, ReplayRequest request) throws SQLException {
        long from = request.fromSequence() == null ? 0 : request.fromSequence();
        long to = request.toSequence() == null ? Long.MAX_VALUE : request.toSequence();
        try (Connection c = db.getConnection()) {
            if (Boolean.TRUE.equals(request.failedOnly())) {
                try (PreparedStatement s = prepare(
                        c,
                        "INSERT INTO subscription_delivery (subscription_id, sequence,"
                                + " event_id, task_id, state, next_at, created_at) SELECT subscription_id, sequence, event_id,"
                                + " task_id, 'pending', now(), now() FROM subscription_delivery d WHERE subscription_id = ?"
                                + " AND state = 'failed' AND sequence BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM"
                                + " subscription_delivery later WHERE later.subscription_id = d.subscription_id"
                                + " AND later.sequence = d.sequence AND later.id > d.id) ORDER BY sequence",
                        subscription,
                        from,
                        to)) {
                    return s.executeUpdate();
                }
            }
            try (PreparedStatement s = prepare(
                    c,
                    "INSERT INTO subscription_delivery (subscription_id, sequence,"
                            + " event_id, task_id, state, next_at, created_at) SELECT s.id, e.sequence, e.event_id,"
                            + " coalesce(e.task_id, e.asset_id),"
                            + " 'pending', now(), now() FROM subscription s JOIN task_event e ON e.sequence BETWEEN ? AND ?"
                            + " AND e.sequence <= s.scanned WHERE s.id = ?"
                            + " AND EXISTS (SELECT 1 FROM unnest(s.event_types) g WHERE e.type LIKE subscription_like(g))"
                            + " AND (cardinality(s.index_ids) = 0 OR e.index_id = ANY (s.index_ids)) ORDER BY e.sequence",
                    from,
                    to,
                    subscription)) {
                return s.executeUpdate();
            }
        }
    }
}
