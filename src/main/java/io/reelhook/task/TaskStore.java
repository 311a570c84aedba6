package io.reelhook.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.db.Jdbc;
import io.reelhook.task.EventStore.EventStoreException;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads tasks (the {@code task} table) for the task API; the ledger alone writes them. */
@ApplicationScoped
public class TaskStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    /** What a list asks for: each filter null (or empty) when absent; sorted by {@code sortBy}, then id. */
    public record Query(String indexId, List<String> statuses, String filename, String sortBy, boolean ascending) {}

    public record Page(List<Task> tasks, long total) {}

    private final DataSource db;
    private final ObjectMapper json;

    public TaskStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Optional<Task> find(String id) {
        List<Task> found = select("SELECT * FROM task WHERE id = ?", List.of(id));
        return found.stream().findFirst();
    }

    /** One page (from 1) of the tasks that match, with how many match in all. */
    public Page list(Query query, int page, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (query.indexId() != null) {
            where.append(" AND index_id = ?");
            params.add(query.indexId());
        }
        if (query.statuses() != null && !query.statuses().isEmpty()) {
            where.append(" AND status = ANY (?)");
            params.add(query.statuses().toArray(String[]::new));
        }
        if (query.filename() != null) {
            where.append(" AND filename = ?");
            params.add(query.filename());
        }
        long total = Jdbc.number(db, "SELECT count(*) FROM task" + where, params);
        // sortBy is one of two column names, checked by the resource; never a client's text
        String column = "updated_at".equals(query.sortBy()) ? "updated_at" : "created_at";
        String direction = query.ascending() ? " ASC" : " DESC";
        List<Object> paged = new ArrayList<>(params);
        paged.add(limit);
        paged.add((long) (page - 1) * limit);
        List<Task> tasks = select(
                "SELECT * FROM task" + where + " ORDER BY " + column + direction + ", id" + " LIMIT ? OFFSET ?", paged);
        return new Page(tasks, total);
    }

    private List<Task> select(String sql, List<Object> params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = Jdbc.prepare(c, sql, params);
                ResultSet r = s.executeQuery()) {
            List<Task> tasks = new ArrayList<>();
            while (r.next()) {
                tasks.add(task(r));
            }
            return tasks;
        } catch (SQLException e) {
            throw new EventStoreException(e);
        }
    }

    private Task task(ResultSet r) throws SQLException {
        Task t = new Task();
        t.id = r.getString("id");
        t.indexId = r.getString("index_id");
        t.videoId = r.getString("video_id");
        t.status = r.getString("status");
        t.filename = r.getString("filename");
        t.sizeBytes = r.getObject("size_bytes", Long.class);
        t.duration = r.getObject("duration", Double.class);
        t.width = r.getObject("width", Integer.class);
        t.height = r.getObject("height", Integer.class);
        t.language = r.getString("language");
        t.enableVideoStream = r.getObject("enable_video_stream", Boolean.class);
        t.userMetadata = metadata(r.getString("user_metadata"));
        t.createdAt = r.getObject("created_at", OffsetDateTime.class);
        t.updatedAt = r.getObject("updated_at", OffsetDateTime.class);
        t.heardAt = r.getObject("heard_at", OffsetDateTime.class);
        t.reconciledAt = r.getObject("reconciled_at", OffsetDateTime.class);
        t.reconcileAttempts = r.getInt("reconcile_attempts");
        t.stalledAt = r.getObject("stalled_at", OffsetDateTime.class);
        return t;
    }

    private Map<String, Object> metadata(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new SQLException("task.user_metadata is not a JSON object", e);
        }
    }
}
