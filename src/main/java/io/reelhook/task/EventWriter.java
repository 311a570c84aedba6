package io.reelhook.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.postgresql.PGStatement;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one insert into the event log (task_event), built from {@link EventColumn}: the task ledger runs it inside its
 * group-commit statement, the asset ledger on its own. The caller's transaction must hold the row lock of the task or
 * asset that the events name, so that per subject the sequence is commit order (V50__sequence_at_insert.sql).
 */
@ApplicationScoped
public class EventWriter {

    private static final String COLUMNS =
            Arrays.stream(EventColumn.values()).map(c -> c.sql).collect(Collectors.joining(", "));
    /** The insert, one array parameter per {@link EventColumn}, usable as a CTE. */
    static final String INSERT = """
            INSERT INTO task_event (%s)
            SELECT %s
            FROM unnest(%s) WITH ORDINALITY AS e(%s, position)
            ORDER BY e.position""".formatted(
            COLUMNS,
            Arrays.stream(EventColumn.values()).map(c -> "e." + c.sql).collect(Collectors.joining(", ")),
            Arrays.stream(EventColumn.values()).map(c -> "?::" + c.type + "[]").collect(Collectors.joining(", ")),
            COLUMNS);

    private final ObjectMapper json;

    EventWriter(ObjectMapper json) {
        this.json = json;
    }

    /** Inserts the events in the caller's transaction. */
    public void insert(Connection connection, List<TaskEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = prepare(connection, INSERT)) {
            bind(connection, statement, 0, events);
            statement.executeUpdate();
        }
    }

    /** Sets {@link #INSERT}'s parameters after {@code index}; returns the last one set. */
    int bind(Connection connection, PreparedStatement statement, int index, List<TaskEvent> events)
            throws SQLException {
        for (EventColumn column : EventColumn.values()) {
            statement.setArray(++index, texts(connection, events, column.value));
        }
        return index;
    }

    /**
     * Planned anew for each batch, with its arrays: a generic plan, which the driver and the server settle on after a
     * few executions, is costed while the tables are still small and then keeps scanning them whole as they grow.
     */
    static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        return statement;
    }

    /**
     * One value of each item as a text array, which the statement casts to the column's type: the same way for every
     * column, so that a new one needs no code of its own.
     */
    <T> Array texts(Connection connection, Collection<T> items, Function<? super T, ?> value) throws SQLException {
        return connection.createArrayOf(
                "text", items.stream().map(value).map(this::text).toArray());
    }

    private String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map<?, ?>) {
            try {
                return json.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not serialisable as JSON", e);
            }
        }
        return value.toString();
    }
}
