package io.reelhook.task;

import java.util.List;

/** The SSE stream's optional filters; a null field matches everything. */
public record EventFilter(String type, String taskId, String indexId, String assetId) {

    public static final EventFilter ALL = new EventFilter(null, null, null, null);

    public boolean test(EventMessage event) {
        return (type == null || type.equals(event.type()))
                && (taskId == null || taskId.equals(event.taskId()))
                && (indexId == null || indexId.equals(event.indexId()))
                && (assetId == null || assetId.equals(event.assetId()));
    }

    /** The same conditions as SQL, appended to a WHERE clause; fills {@code params}. */
    String sql(List<Object> params) {
        StringBuilder sql = new StringBuilder();
        condition(sql, params, "type", type);
        condition(sql, params, "task_id", taskId);
        condition(sql, params, "index_id", indexId);
        condition(sql, params, "asset_id", assetId);
        return sql.toString();
    }

    private static void condition(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }
}
