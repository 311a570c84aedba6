package io.reelhook.task;

/** The database cannot be reached: nothing was stored, and the caller may retry later. */
public class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(Throwable cause) {
        super("database unavailable", cause);
    }
}
