package io.reelhook.operations;

import io.reelhook.outbox.Outbox;
import io.reelhook.outbox.Watermark;
import io.reelhook.reconcile.ReconcileConfig;
import io.reelhook.reconcile.UpstreamBudget;
import io.reelhook.simulator.SimulatorConfig;
import io.reelhook.subscriptions.SubscriptionsHealthCheck;
import io.reelhook.task.EventStore;
import io.reelhook.task.EventStore.EventStoreException;
import io.reelhook.twelvelabs.TwelveLabsConfig;
import io.reelhook.webhook.RecentOutcomes;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gathers the operations overview from what each capability already keeps; reads only. */
@ApplicationScoped
public class Operations {

    static final int STALLED_LISTED = 20;
    private static final String OPEN = "status NOT IN ('ready', 'failed')";

    private final TwelveLabsConfig twelveLabs;
    private final SimulatorConfig simulator;
    private final Outbox outbox;
    private final Watermark watermark;
    private final EventStore events;
    private final RecentOutcomes webhooks;
    private final UpstreamBudget budget;
    private final ReconcileConfig reconcile;
    private final SubscriptionsHealthCheck subscriptions;
    private final DataSource db;

    Operations(
            TwelveLabsConfig twelveLabs,
            SimulatorConfig simulator,
            Outbox outbox,
            Watermark watermark,
            EventStore events,
            RecentOutcomes webhooks,
            UpstreamBudget budget,
            ReconcileConfig reconcile,
            @Wellness SubscriptionsHealthCheck subscriptions,
            DataSource db) {
        this.twelveLabs = twelveLabs;
        this.simulator = simulator;
        this.outbox = outbox;
        this.watermark = watermark;
        this.events = events;
        this.webhooks = webhooks;
        this.budget = budget;
        this.reconcile = reconcile;
        this.subscriptions = subscriptions;
        this.db = db;
    }

    public Overview overview() {
        try (Connection c = db.getConnection()) {
            return new Overview(Instant.now(), upstream(), outbox(), webhooks(), reconciler(c), subscriptions(c));
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private Overview.Upstream upstream() {
        String url = twelveLabs.apiUrl();
        boolean simulated = simulator.on() && url.replaceAll("/+$", "").endsWith(SimulatorConfig.BASE_PATH);
        return new Overview.Upstream(simulated ? "simulator" : "twelve_labs", url);
    }

    private Overview.OutboxState outbox() {
        Watermark.Lag lag = outbox.lag();
        String leader = outbox.leader() ? "this_instance" : watermark.led() ? "another_instance" : "none";
        return new Overview.OutboxState(
                lag.count(), lag.oldest().toSeconds(), watermark.published(), events.maxSequence(), leader);
    }

    private Overview.Webhooks webhooks() {
        Map<String, Long> byOutcome = webhooks.lastHour();
        long accepted = byOutcome.entrySet().stream()
                .filter(e -> RecentOutcomes.accepted(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long all = byOutcome.values().stream().mapToLong(Long::longValue).sum();
        return new Overview.Webhooks(RecentOutcomes.WINDOW.toSeconds(), accepted, all - accepted, byOutcome);
    }

    /** Open tasks only: the partial index task_open keeps this a short read however many tasks are done. */
    private Overview.ReconcilerState reconciler(Connection c) throws SQLException {
        long open;
        long stalled;
        Instant lastCheck;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FILTER (WHERE stalled_at IS NULL),"
                        + " count(*) FILTER (WHERE stalled_at IS NOT NULL), max(reconciled_at) FROM task WHERE "
                        + OPEN);
                ResultSet r = s.executeQuery()) {
            r.next();
            open = r.getLong(1);
            stalled = r.getLong(2);
            lastCheck = instant(r.getTimestamp(3));
        }
        List<Overview.StalledTask> listed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, status, filename, created_at, stalled_at FROM task"
                + " WHERE " + OPEN + " AND stalled_at IS NOT NULL ORDER BY stalled_at DESC, id LIMIT ?")) {
            s.setInt(1, STALLED_LISTED);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    listed.add(new Overview.StalledTask(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            instant(r.getTimestamp(4)),
                            instant(r.getTimestamp(5))));
                }
            }
        }
        return new Overview.ReconcilerState(
                reconcile.every(),
                reconcile.after().toSeconds(),
                reconcile.horizon().toSeconds(),
                reconcile.budgetPerMinute(),
                budget.pausedUntil().orElse(null),
                open,
                lastCheck,
                stalled,
                listed);
    }

    /** The health check's verdict and counts; not its data per subscription, whose URLs are for admins only. */
    private Overview.Subscriptions subscriptions(Connection c) throws SQLException {
        HealthCheckResponse health = subscriptions.call();
        Map<String, Object> data = health.getData().orElse(Map.of());
        try (PreparedStatement s =
                        c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE enabled) FROM subscription");
                ResultSet r = s.executeQuery()) {
            r.next();
            return new Overview.Subscriptions(
                    health.getStatus().name(),
                    r.getLong(1),
                    r.getLong(2),
                    number(data.get("failing")),
                    number(data.get("disabled_by_failures")));
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
