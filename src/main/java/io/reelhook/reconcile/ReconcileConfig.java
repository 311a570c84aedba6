package io.reelhook.reconcile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Reconciliation, the safety net for webhooks that never arrive ({@code reelhook.reconcile.*}). */
@ConfigMapping(prefix = "reelhook.reconcile")
public interface ReconcileConfig {

    /**
     * How long a task that is not terminal may stay silent before Twelve Labs is asked about it (the base wait, before
     * {@link #perVideoSecond()} and the doublings).
     */
    @WithDefault("15m")
    Duration after();

    /** How often each instance looks for due tasks; {@code off} disables the schedule (tests drive it). */
    @WithDefault("10s")
    String every();

    /** Extra wait per second of video: a long video takes longer to index. */
    @WithDefault("1s")
    Duration perVideoSecond();

    /** Each fruitless check doubles the wait, up to this many times. */
    @WithDefault("6")
    int maxDoublings();

    /** Tasks that one instance may check per one-minute window (one {@code GET /tasks/{id}} each, retries aside). */
    @WithDefault("60")
    int budgetPerMinute();

    /** Past this age a task that is still not terminal is reported stalled and no longer asked about. */
    @WithDefault("24h")
    Duration horizon();

    /** Stalled tasks marked (each with its event) per transaction. */
    @WithDefault("100")
    int stalledBatch();

    /** Pause after a 429 that gives no Retry-After. */
    @WithDefault("60s")
    Duration rateLimitPause();
}
