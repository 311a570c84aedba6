package io.reelhook.api;

import io.reelhook.task.LedgerUnavailableException;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;

/** What an exception that no mapper foresaw becomes: {@code 503} while the database is away, else {@code 500}. */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);

    private Failures() {}

    public static ApiException unexpected(Throwable failure) {
        if (databaseDown(failure)) {
            LOG.warnf("database unavailable: %s", failure.toString());
            return new ApiException(
                    503,
                    "database_unavailable",
                    "The database is unavailable; try again later.",
                    java.util.Map.of("Retry-After", "5"));
        }
        String id = UUID.randomUUID().toString();
        // the details go to the log only: a stack trace tells an attacker more than it helps a client
        LOG.errorf(failure, "internal error %s", id);
        return new ApiException(
                500,
                "internal_error",
                "An unexpected error occurred (error id " + id + "); the operator can look it up in the log.");
    }

    /**
     * Whether the failure comes from not reaching PostgreSQL: a connection refused or lost (SQLState class 08, or
     * 57P0x when the server shuts down), or no pooled connection to be had in time (Agroal's acquisition timeout).
     */
    static boolean databaseDown(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LedgerUnavailableException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                String message = String.valueOf(sql.getMessage());
                if (state != null && (state.startsWith("08") || state.startsWith("57P0"))
                        || message.startsWith("Acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }
}
