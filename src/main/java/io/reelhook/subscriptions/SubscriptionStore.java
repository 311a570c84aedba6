package io.reelhook.subscriptions;

import io.reelhook.api.ApiException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The subscription rows: what the API creates, reads, changes and deletes. */
@ApplicationScoped
public class SubscriptionStore {

    private static final String COLUMNS = "id, url, event_types, index_ids, description, enabled, disabled_reason,"
            + " failing_since, created_at, updated_at, secret, previous_secret, previous_until";
    /** Only events committed from now on: a new or re-enabled subscription does not start with the whole log. */
    private static final String NOW_SCANNED = "(SELECT coalesce(max(sequence), 0) FROM task_event)";

    private final DataSource db;

    SubscriptionStore(DataSource db) {
        this.db = db;
    }

    Subscription create(SubscriptionRequest request, String secret) {
        boolean enabled = request.enabled() == null || request.enabled();
        return one(
                        "INSERT INTO subscription (id, url, event_types, index_ids, description, enabled, secret, scanned,"
                                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, " + NOW_SCANNED
                                + ", now(), now())"
                                + " RETURNING " + COLUMNS,
                        UUID.randomUUID(),
                        request.url(),
                        request.eventTypes(),
                        indexIds(request.indexIds()),
                        request.description(),
                        enabled,
                        secret)
                .orElseThrow();
    }

    List<Subscription> list() {
        return query("SELECT " + COLUMNS + " FROM subscription ORDER BY created_at, id");
    }

    Subscription get(UUID id) {
        return one("SELECT " + COLUMNS + " FROM subscription WHERE id = ?", id).orElseThrow(() -> missing(id));
    }

    /**
     * Changes the fields that are not null. Enabling again clears the failure state, skips the events committed while
     * disabled, and makes the pending deliveries (kept while disabled) due at once, except those in flight.
     */
    Subscription update(UUID id, SubscriptionRequest change) {
        Boolean enabled = change.enabled();
        return one(
                        "WITH resumed AS (UPDATE subscription_delivery SET next_at = now() WHERE subscription_id = ?"
                                + " AND state = 'pending' AND lease_token IS NULL AND next_at > now() AND ?::boolean"
                                + " AND NOT (SELECT enabled FROM subscription WHERE id = ?))"
                                + " UPDATE subscription SET url = coalesce(?, url), event_types = coalesce(?, event_types),"
                                + " index_ids = coalesce(?, index_ids), description = coalesce(?, description),"
                                + " scanned = CASE WHEN ?::boolean AND NOT enabled THEN " + NOW_SCANNED
                                + " ELSE scanned END,"
                                + " failing_since = CASE WHEN ?::boolean AND NOT enabled THEN NULL ELSE failing_since END,"
                                + " disabled_reason = CASE WHEN ?::boolean THEN NULL WHEN NOT ?::boolean AND enabled"
                                + " THEN 'disabled through the API' ELSE disabled_reason END,"
                                + " enabled = coalesce(?, enabled), updated_at = now() WHERE id = ? RETURNING "
                                + COLUMNS,
                        id,
                        enabled,
                        id,
                        change.url(),
                        change.eventTypes(),
                        change.indexIds(),
                        change.description(),
                        enabled,
                        enabled,
                        enabled,
                        enabled,
                        enabled,
                        id)
                .orElseThrow(() -> missing(id));
    }

    void delete(UUID id) {
        if (update("DELETE FROM subscription WHERE id = ?", id) == 0) {
            throw missing(id);
        }
    }

    /** A new secret; the current one keeps signing beside it for {@code overlap}. */
    Subscription rotate(UUID id, String secret, Duration overlap) {
        return one(
                        "UPDATE subscription SET previous_secret = secret, previous_until = now() + ?::interval,"
                                + " secret = ?, updated_at = now() WHERE id = ? RETURNING " + COLUMNS,
                        overlap.toMillis() + " milliseconds",
                        secret,
                        id)
                .orElseThrow(() -> missing(id));
    }

    static ApiException missing(UUID id) {
        return new ApiException(404, "resource_not_exist", "There is no subscription with id " + id + ".");
    }

    private static List<String> indexIds(List<String> ids) {
        return ids == null ? List.of() : ids;
    }

    private Optional<Subscription> one(String sql, Object... params) {
        List<Subscription> rows = query(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private int update(String sql, Object... params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = prepare(c, sql, params)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private List<Subscription> query(String sql, Object... params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = prepare(c, sql, params);
                ResultSet r = s.executeQuery()) {
            List<Subscription> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new Subscription(
                        r.getObject("id", UUID.class),
                        r.getString("url"),
                        strings(r.getArray("event_types")),
                        strings(r.getArray("index_ids")),
                        r.getString("description"),
                        r.getBoolean("enabled"),
                        r.getString("disabled_reason"),
                        instant(r.getTimestamp("failing_since")),
                        instant(r.getTimestamp("created_at")),
                        instant(r.getTimestamp("updated_at")),
                        r.getString("secret"),
                        r.getString("previous_secret"),
                        instant(r.getTimestamp("previous_until"))));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Binds parameters; a List becomes a text[]. */
    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof List<?> list) {
                s.setArray(i + 1, c.createArrayOf("text", list.toArray()));
            } else {
                s.setObject(i + 1, p);
            }
        }
        return s;
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
