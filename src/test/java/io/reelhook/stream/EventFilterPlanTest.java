package io.reelhook.stream;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.EventFilter;
import io.reelhook.task.EventStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream's filter queries read an index, not the table, on a task_event of realistic size: a copy of the table
 * with its indexes (migrations included) in a schema of this test's own transaction, filled, analysed, explained and
 * rolled back.
 */
@QuarkusTest
class EventFilterPlanTest {

    private static final int ROWS = 200_000;

    @Inject
    DataSource db;

    @Test
    void eachFilterOfTheStreamUsesAnIndexOnAPopulatedTable() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA explain_events");
                s.execute("CREATE TABLE explain_events.task_event (LIKE public.task_event INCLUDING INDEXES)");
                // 50,000 tasks of 4 events in 20 indexes, most events of 6 common types; a rare type and a rare index
                s.execute("""
                        INSERT INTO explain_events.task_event (id, event_id, sequence, task_id, index_id, type, status,
                                                               source, applied, completes, occurred_at, received_at)
                        SELECT g, gen_random_uuid(), g, 'task_' || (g / 4),
                               CASE WHEN mod(g, 997) = 0 THEN 'index_rare' ELSE 'index_' || mod(g, 20) END,
                               CASE WHEN mod(g, 1000) = 0 THEN 'index.task.stalled'
                                    ELSE (ARRAY['index.task.validating', 'index.task.pending', 'index.task.queued',
                                                'index.task.indexing', 'index.task.ready',
                                                'index.task.failed'])[1 + mod(g, 6)] END,
                               'indexing', 'webhook', true, false, now(), now()
                        FROM generate_series(1, %d) g""".formatted(ROWS));
                s.execute("ANALYZE explain_events.task_event");
                s.execute("SET LOCAL search_path = explain_events");

                // filters on a rare value: the filter column must be an index condition (read only matching rows)
                Map<String, EventFilter> rare = Map.of(
                        "type", new EventFilter("index.task.stalled", null, null, null),
                        "index_id", new EventFilter(null, null, "index_rare", null),
                        "task_id", new EventFilter(null, "task_1234", null, null),
                        "type|task_id|index_id", new EventFilter("index.task.ready", "task_1234", "index_16", null));
                // filters on a common value: reading the sequence index and skipping a few rows is as good
                Map<String, EventFilter> common = Map.of(
                        "type", new EventFilter("index.task.ready", null, null, null),
                        "index_id", new EventFilter(null, null, "index_7", null));
                for (long after : List.of(0L, ROWS - 10_000L)) {
                    for (var filter : rare.entrySet()) {
                        assertThat(explain(c, after, filter.getKey(), filter.getValue()))
                                .as(filter.getKey())
                                .doesNotContain("Seq Scan")
                                .containsPattern("Index Cond: \\(\\((" + filter.getKey() + ") = ");
                    }
                    for (var filter : common.entrySet()) {
                        assertThat(explain(c, after, filter.getKey(), filter.getValue()))
                                .as(filter.getKey())
                                .doesNotContain("Seq Scan")
                                .contains("Index Scan");
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static String explain(Connection c, long after, String name, EventFilter filter) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = EventStore.afterSql(after, filter, 500, params);
        try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            System.out.printf("plan of the stream filtered by %s %s after %d:%n%s%n", name, filter, after, plan);
            return plan.toString();
        }
    }
}
