package io.reelhook.subscriptions;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reelhook.supervision.SupervisedThread;
import io.reelhook.supervision.Workers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Runs the dispatcher as soon as an event commits: task_event inserts NOTIFY on commit. The poll stays as the safety
 * net for a lost connection and for retries coming due.
 */
@ApplicationScoped
class Wakeup {

    private static final Logger LOG = Logger.getLogger(Wakeup.class);

    private final Dispatcher dispatcher;
    private final Workers workers;
    private final String url;
    private final String user;
    private final String password;
    private SupervisedThread thread;

    Wakeup(
            Dispatcher dispatcher,
            Workers workers,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent start) {
        thread = new SupervisedThread(
                        "reelhook-webhooks-listen", this::listen, Duration.ofSeconds(1), Duration.ofSeconds(30))
                .start();
        workers.register(List.of(thread));
    }

    void stop(@Observes ShutdownEvent stop) {
        thread.stop();
        workers.unregister(List.of(thread));
    }

    /**
     * A lost database connection is an outage, not a crash: it is retried here, so that the liveness check (which
     * would have the process restarted) stays UP while PostgreSQL is away; the poll covers the gap.
     */
    private void listen() throws InterruptedException {
        while (!thread.stopping()) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN task_event");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!thread.stopping()) {
                    var notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        dispatcher.tick();
                    }
                }
            } catch (SQLException e) {
                if (!thread.stopping()) {
                    LOG.debugf("subscription wake-up lost its database connection (%s); retrying", e.getMessage());
                    Thread.sleep(1000);
                }
            }
        }
    }
}
