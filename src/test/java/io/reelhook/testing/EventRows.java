package io.reelhook.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.task.TaskEvent;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The task_event rows as the ledger wrote them, every column, read with plain JDBC. */
@ApplicationScoped
public class EventRows {

    private final DataSource db;
    private final ObjectMapper json;

    EventRows(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A task's events in commit order. */
    public List<TaskEvent> ofTask(String taskId) {
        return query(
                "SELECT *, metadata::text AS metadata_text FROM task_event WHERE task_id = ? ORDER BY sequence",
                taskId);
    }

    public Optional<TaskEvent> byNotification(String notificationId) {
        return query(
                        "SELECT *, metadata::text AS metadata_text FROM task_event WHERE notification_id = ?",
                        notificationId)
                .stream()
                .findFirst();
    }

    public long count() {
        return count("SELECT count(*) FROM task_event", null);
    }

    public long countOfTask(String taskId) {
        return count("SELECT count(*) FROM task_event WHERE task_id = ?", taskId);
    }

    public long countOfNotification(String notificationId) {
        return count("SELECT count(*) FROM task_event WHERE notification_id = ?", notificationId);
    }

    private long count(String sql, String parameter) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<TaskEvent> query(String sql, String parameter) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<TaskEvent> events = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(new TaskEvent(
                            r.getObject("event_id", UUID.class),
                            r.getString("task_id"),
                            r.getString("index_id"),
                            r.getString("video_id"),
                            r.getString("type"),
                            r.getString("status"),
                            r.getString("previous_status"),
                            r.getString("source"),
                            r.getBoolean("applied"),
                            r.getBoolean("completes"),
                            r.getString("notification_id"),
                            r.getObject("occurred_at", OffsetDateTime.class),
                            r.getObject("received_at", OffsetDateTime.class),
                            map(r.getString("metadata_text")),
                            r.getString("notification")));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> map(String text) {
        try {
            return text == null ? null : json.readValue(text, new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
