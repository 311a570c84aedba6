package io.reelhook.embedded;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

@QuarkusTest
class MigrationTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void migrationsApplyToRealPostgres() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT version()")).startsWith("PostgreSQL");
            assertThat(column(
                            s,
                            "SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) "
                                    + "FROM flyway_schema_history"))
                    .startsWith("1:true")
                    .doesNotContain("false");
            assertThat(column(
                            s,
                            "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                                    + "WHERE table_schema = 'public' AND table_name LIKE 'task%'"))
                    .isEqualTo("task,task_event");
        }
    }

    @Test
    void notificationIdIsUniqueAndDurabilityIsOn() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            assertThat(column(s, "SHOW fsync")).isEqualTo("on");
            assertThat(column(s, "SHOW synchronous_commit")).isEqualTo("on");
            c.setAutoCommit(false);
            s.execute(task("mig_task"));
            String event = event("mig_task", "'whe_mig'");
            s.execute(event);
            assertThat(column(s, "SELECT count(*) FROM task_event WHERE task_id = 'mig_task' AND sequence IS NOT NULL"))
                    .isEqualTo("1");
            assertThrows(SQLException.class, () -> s.execute(event));
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @Test
    void anInsertWaitsForEarlierInsertersToEndSoSequenceOrderIsCommitOrder() throws Exception {
        try (Connection first = dataSource.getConnection();
                Statement s = first.createStatement()) {
            first.setAutoCommit(false);
            s.execute(task("mig_order_a"));
            s.execute(event("mig_order_a"));
            String firstPid = column(s, "SELECT pg_backend_pid()");
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
                try (Connection c = dataSource.getConnection();
                        Statement t = c.createStatement()) {
                    t.execute(task("mig_order_b"));
                    t.execute(event("mig_order_b"));
                    return column(t, "SELECT sequence FROM task_event WHERE task_id = 'mig_order_b'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> waitsFor(firstPid, "mig_order_b"));
            assertThat(second).isNotDone();
            first.commit();
            long a = Long.parseLong(column(s, "SELECT sequence FROM task_event WHERE task_id = 'mig_order_a'"));
            assertThat(Long.parseLong(second.get(10, TimeUnit.SECONDS))).isGreaterThan(a);
        }
    }

    /** Whether a session inserting {@code task}'s event waits for an advisory lock held by {@code pid}. */
    private boolean waitsFor(String pid, String task) throws SQLException {
        // a session of its own: within a transaction, pg_stat_activity keeps showing its first reading
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            return column(s, """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND %s = ANY (pg_blocking_pids(pid))
                      AND query LIKE '%%%s%%'""".formatted(pid, task)).equals("1");
        }
    }

    private static String task(String id) {
        return "INSERT INTO task (id, status, created_at, updated_at, heard_at) VALUES ('%s', 'ready', now(), now(), now())"
                .formatted(id);
    }

    private static String event(String task) {
        return event(task, "NULL");
    }

    /** @param notificationId an SQL literal */
    private static String event(String task, String notificationId) {
        return ("INSERT INTO task_event (event_id, task_id, type, source, applied, completes, notification_id,"
                        + " occurred_at, received_at) VALUES (gen_random_uuid(), '%s', 'index.task.ready', 'webhook', true,"
                        + " false, %s, now(), now())")
                .formatted(task, notificationId);
    }

    private static String column(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
