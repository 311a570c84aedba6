package io.reelhook.db;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few shapes of plain JDBC that stores share. Inside a {@code @Transactional} method the data source hands out
 * the transaction's connection, so these statements commit or roll back with it.
 */
public final class Jdbc {

    private Jdbc() {}

    /** The first column of every row, as text (ids a statement returned). */
    public static List<String> strings(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = prepare(c, sql, Arrays.asList(params));
                ResultSet r = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (r.next()) {
                values.add(r.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /** The first column of the first row, as a number (a count). */
    public static long number(DataSource db, String sql, List<Object> params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = prepare(c, sql, params);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    public static int update(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = prepare(c, sql, Arrays.asList(params))) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /** A statement with its parameters set; a {@code String[]} becomes a text array (for {@code = ANY (?)}). */
    public static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] array) {
                s.setArray(i + 1, c.createArrayOf("text", array));
            } else {
                s.setObject(i + 1, p);
            }
        }
        return s;
    }

    /** The database could not be read or written; callers retry, or the API answers 503. */
    public static class DatabaseException extends RuntimeException {
        public DatabaseException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
