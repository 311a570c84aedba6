package io.reelhook.subscriptions;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt's outcome: the HTTP status (null when no answer came), how long it took, what went wrong, and the
 * endpoint's Retry-After where it sent one.
 */
public record Attempt(
        Instant at,
        @JsonProperty("status_code") Integer statusCode,
        @JsonProperty("latency_ms") long latencyMs,
        String error,
        @com.fasterxml.jackson.annotation.JsonIgnore Duration retryAfter) {

    boolean delivered() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    boolean gone() {
        return statusCode != null && statusCode == 410;
    }
}
