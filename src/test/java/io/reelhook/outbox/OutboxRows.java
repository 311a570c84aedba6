package io.reelhook.outbox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The outbox columns of task_event rows, read with plain JDBC (no persistence-context caching). */
record OutboxRows(DataSource db) {

    record Row(String eventId, String taskId, Long sequence, boolean published) {}

    /** The tasks' rows in id (commit) order. */
    List<Row> of(Collection<String> tasks) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("""
                SELECT event_id::text, task_id, sequence, sequence <= (SELECT published FROM outbox_cursor) FROM task_event
                WHERE task_id = ANY (?) ORDER BY id""")) {
            s.setArray(1, c.createArrayOf("text", tasks.toArray()));
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getString(1), r.getString(2), r.getObject(3, Long.class), r.getBoolean(4)));
                }
            }
            return rows;
        }
    }

    boolean allPublished(Collection<String> tasks, int expected) throws SQLException {
        List<Row> rows = of(tasks);
        return rows.size() == expected && rows.stream().allMatch(Row::published);
    }

    void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.execute();
        }
    }
}
