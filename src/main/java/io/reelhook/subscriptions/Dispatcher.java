package io.reelhook.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.reelhook.api.ApiException;
import io.reelhook.task.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scans the event log into deliveries and sends them with a bounded pool: one delivery per subscription at a time
 * (so a slow or dead endpoint holds one worker, never the others), at least once, in commit order per task.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DeliveryStore deliveries;
    private final EventStore events;
    private final ObjectMapper json;
    private final WebhooksConfig config;
    private final MeterRegistry registry;
    private final RetryPolicy retries;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean scanning = new AtomicBoolean();
    private Semaphore free;
    private ExecutorService pool;
    private Sender sender;
    private Timer latency;
    private Timer endToEnd;

    Dispatcher(
            DeliveryStore deliveries,
            EventStore events,
            ObjectMapper json,
            WebhooksConfig config,
            MeterRegistry registry) {
        this.deliveries = deliveries;
        this.events = events;
        this.json = json;
        this.config = config;
        this.registry = registry;
        this.retries = new RetryPolicy(config.retrySchedule(), config.maxRetryAfter());
    }

    void onStart(@Observes StartupEvent start) {
        latency = Timer.builder("reelhook.subscriptions.delivery.latency")
                .description("time for a subscriber's endpoint to answer one delivery attempt")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        endToEnd = Timer.builder("reelhook.subscriptions.delivery.delay")
                .description("from an event's commit to its successful delivery")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        sender = new Sender(config.timeout(), Executors.newCachedThreadPool(daemon("reelhook-webhooks-io")));
        start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    /** Starts the workers (again). */
    synchronized void start() {
        free = new Semaphore(config.workers());
        pool = Executors.newFixedThreadPool(config.workers(), daemon("reelhook-webhooks"));
        running.set(true);
    }

    /** Stops claiming and waits for the deliveries in flight; what is pending stays in the database. */
    synchronized void stop() {
        running.set(false);
        if (pool != null) {
            pool.shutdown();
            try {
                pool.awaitTermination(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Scheduled(every = "${reelhook.webhooks.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        // the poll and a NOTIFY may both ask at once: one scan at a time is enough
        if (!running.get() || !scanning.compareAndSet(false, true)) {
            return;
        }
        try {
            deliveries.scan(config.scanBatch());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(e, "subscription scan failed; the next tick tries again");
        } finally {
            scanning.set(false);
        }
        dispatch();
    }

    /** Claims as many due deliveries as there are free workers and hands them out. */
    void dispatch() {
        if (!running.get() || !claiming.compareAndSet(false, true)) {
            return;
        }
        try {
            int slots = free.availablePermits();
            if (slots == 0) {
                return;
            }
            List<Claim> claims = deliveries.claim(slots, config.lease(), UUID.randomUUID());
            for (Claim claim : claims) {
                free.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        deliver(claim);
                    } finally {
                        free.release();
                    }
                    dispatch();
                });
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(e, "claiming subscription deliveries failed; the next tick tries again");
        } finally {
            claiming.set(false);
        }
    }

    void deliver(Claim claim) {
        try {
            List<EventStore.Stored> found =
                    events.sequenced(claim.sequence(), claim.sequence(), null, claim.sequence() - 1, 1);
            if (found.isEmpty()) {
                deliveries.release(claim);
                return;
            }
            var event = found.get(0).message();
            Attempt attempt;
            try {
                URI url = UrlGuard.check(claim.url(), config.allowPrivate());
                attempt = sender.send(url, event.eventId().toString(), event.json(json), claim.secrets());
            } catch (ApiException refused) {
                // the name now resolves somewhere it may not go (DNS rebinding): an attempt that failed
                attempt = new Attempt(Instant.now(), null, 0, "refused: " + refused.getMessage(), null);
            }
            latency.record(Duration.ofMillis(attempt.latencyMs()));
            Instant retryAt =
                    attempt.delivered() || attempt.gone() ? null : retries.next(claim.attempts() + 1, attempt);
            deliveries.finish(claim, attempt, retryAt, config.disableAfter());
            String outcome = attempt.delivered()
                    ? "delivered"
                    : attempt.gone() ? "gone" : retryAt == null ? "failed" : "retried";
            outcomes.computeIfAbsent(
                            outcome,
                            o -> Counter.builder("reelhook.subscriptions.deliveries")
                                    .description("subscription delivery attempts by outcome")
                                    .tag("outcome", o)
                                    .register(registry))
                    .increment();
            if (attempt.delivered()) {
                endToEnd.record(Duration.between(event.receivedAt(), Instant.now()));
            }
        } catch (SQLException | RuntimeException e) {
            // the lease lapses and the delivery goes again: at least once
            LOG.warnf(
                    e,
                    "delivery %d to subscription %s could not be recorded",
                    claim.deliveryId(),
                    claim.subscriptionId());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
