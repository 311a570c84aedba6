package io.reelhook.embedded;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

@QuarkusTest
class MigrationTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void migrationsApplyToRealPostgres() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT version()")).startsWith("PostgreSQL");
            assertThat(column(s, "SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) "
                    + "FROM flyway_schema_history")).startsWith("1:true").doesNotContain("false");
            assertThat(column(s, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_name LIKE 'task%'")).isEqualTo("task,task_event");
        }
    }

    @Test
    void notificationIdIsUniqueAndDurabilityIsOn() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(column(s, "SHOW fsync")).isEqualTo("on");
            assertThat(column(s, "SHOW synchronous_commit")).isEqualTo("on");
            c.setAutoCommit(false);
            s.execute("INSERT INTO task (id, status, created_at, updated_at, heard_at) "
                    + "VALUES ('mig_task', 'ready', now(), now(), now())");
            String event = "INSERT INTO task_event (event_id, task_id, type, source, applied, completes, notification_id, "
                    + "occurred_at, received_at) VALUES (gen_random_uuid(), 'mig_task', 'index.task.ready', 'webhook', "
                    + "true, false, 'whe_mig', now(), now())";
            s.execute(event);
            assertThat(column(s, "SELECT count(*) FROM task_event WHERE task_id = 'mig_task' AND sequence IS NULL"))
                    .isEqualTo("1");
            assertThrows(SQLException.class, () -> s.execute(event));
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static String column(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
