package io.reelhook.twelvelabs;

import java.time.Duration;
import java.util.Optional;

/** Twelve Labs answered with an error; its status, code and Retry-After are passed on to the client. */
public class UpstreamException extends RuntimeException {

    private final int status;
    private final String code;
    private final String retryAfter;

    public UpstreamException(int status, String code, String message, String retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The Retry-After header as Twelve Labs sent it. */
    public Optional<String> retryAfterHeader() {
        return Optional.ofNullable(retryAfter);
    }

    /** Retry-After in seconds, when it is given that way (an HTTP date is passed on but not waited for). */
    public Optional<Duration> retryAfter() {
        try {
            return retryAfterHeader().map(value -> Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException httpDate) {
            return Optional.empty();
        }
    }

    /** A 429 or 5xx that is worth trying again. */
    public static class Transient extends UpstreamException {
        public Transient(int status, String code, String message, String retryAfter) {
            super(status, code, message, retryAfter);
        }
    }
}
