package io.reelhook.subscriptions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Outbound webhooks to subscriptions ({@code reelhook.webhooks.*}). */
@ConfigMapping(prefix = "reelhook.webhooks")
public interface WebhooksConfig {

    /** Let subscriptions target loopback, private, link-local and similar addresses (REELHOOK_WEBHOOKS_ALLOW_PRIVATE). */
    @WithDefault("false")
    boolean allowPrivate();

    /** Waits between a delivery's attempts; after the last one the delivery is failed (REELHOOK_WEBHOOKS_RETRY_SCHEDULE). */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** Longest wait for an endpoint's answer, connection included. */
    @WithDefault("15s")
    Duration timeout();

    /**
     * Requests in flight at once to one subscription's endpoint, per instance (each for a different task: a task's
     * events go one at a time).
     */
    @WithDefault("16")
    int concurrency();

    /**
     * How long a claimed delivery stays this instance's; a crashed instance's claims lapse after it. Longer than the
     * timeout.
     */
    @WithDefault("60s")
    Duration lease();

    /** The dispatcher's wake-up besides commits and answers: for retries coming due, and a lost signal. */
    @WithDefault("1s")
    Duration poll();

    /** Events fanned out per subscription per round. */
    @WithDefault("1000")
    int scanBatch();

    /** A subscription whose deliveries have failed without a success for this long is disabled. */
    @WithDefault("5d")
    Duration disableAfter();

    /** How long the secret before a rotation keeps signing beside the new one. */
    @WithDefault("24h")
    Duration rotationOverlap();

    /** Longest Retry-After honoured on 429 and 503. */
    @WithDefault("24h")
    Duration maxRetryAfter();
}
