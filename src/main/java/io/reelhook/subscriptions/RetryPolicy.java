package io.reelhook.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** When a failed delivery goes again: the schedule with up to 20% jitter, or the endpoint's Retry-After. */
final class RetryPolicy {

    private final List<Duration> schedule;
    private final Duration maxRetryAfter;

    RetryPolicy(List<Duration> schedule, Duration maxRetryAfter) {
        this.schedule = schedule;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** When attempt number {@code attempt} (from 1) failed this way, the next one's time; null to give up. */
    Instant next(int attempt, Attempt outcome) {
        if (attempt > schedule.size()) {
            return null;
        }
        if (outcome.retryAfter() != null) {
            Duration wait = outcome.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : outcome.retryAfter();
            return outcome.at().plus(wait);
        }
        long base = schedule.get(attempt - 1).toMillis();
        // jitter spreads a recovering endpoint's backlog instead of sending it all at once
        long jitter = (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Instant.now().plusMillis(base + jitter);
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(
                        now,
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
