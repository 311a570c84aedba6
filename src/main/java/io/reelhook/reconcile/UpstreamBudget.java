package io.reelhook.reconcile;

import io.reelhook.twelvelabs.UpstreamException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What this instance may ask Twelve Labs on its own initiative (reconciling tasks, polling assets): at most
 * {@code reelhook.reconcile.budget-per-minute} requests per one-minute window, and nothing while Twelve Labs
 * rate-limits it. Requests that clients make are not counted: they pass Twelve Labs' answer on.
 */
@ApplicationScoped
public class UpstreamBudget {

    private static final Logger LOG = Logger.getLogger(UpstreamBudget.class);

    private final ReconcileConfig config;
    private volatile Instant pausedUntil = Instant.MIN;
    /** The current one-minute window and what it has spent, whatever the schedules' intervals. */
    private Instant window = Instant.MIN;

    private int spent;

    UpstreamBudget(ReconcileConfig config) {
        this.config = config;
    }

    /** Takes up to {@code wanted} requests from this minute's budget; returns how many were granted. */
    public synchronized int take(int wanted) {
        if (Instant.now().isBefore(pausedUntil)) {
            return 0;
        }
        Instant now = Instant.now();
        if (!now.isBefore(window.plus(Duration.ofMinutes(1)))) {
            window = now;
            spent = 0;
        }
        int granted = Math.max(0, Math.min(wanted, config.budgetPerMinute() - spent));
        spent += granted;
        return granted;
    }

    /** Gives back what {@link #take} granted and was not spent. */
    public synchronized void refund(int unspent) {
        spent = Math.max(0, spent - unspent);
    }

    /** Holds every caller back for Twelve Labs' Retry-After (or the configured pause) after a 429. */
    public void rateLimited(UpstreamException e) {
        Duration pause = e.retryAfter().orElse(config.rateLimitPause());
        pausedUntil = Instant.now().plus(pause);
        LOG.infof("Twelve Labs rate-limits Reelhook's own requests; pausing %s", pause);
    }

    /** Until when this instance holds back after Twelve Labs rate-limited it; empty when it is not pausing. */
    public Optional<Instant> pausedUntil() {
        Instant until = pausedUntil;
        return Instant.now().isBefore(until) ? Optional.of(until) : Optional.empty();
    }
}
