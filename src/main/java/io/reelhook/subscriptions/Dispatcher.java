package io.reelhook.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reelhook.supervision.SupervisedThread;
import io.reelhook.supervision.Workers;
import io.reelhook.task.CommitSignal;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the event log to the subscriptions. One loop per instance, on a supervised thread woken by every commit
 * ({@link CommitSignal}), by every answered request and at least every poll, goes round; each round is one
 * transaction (one durable commit) that records the outcomes of the requests answered since the last round, fans new
 * events out into deliveries and claims due deliveries for every subscription with room, and after it the claimed
 * deliveries are sent.
 * <p>
 * A subscription has room while this instance has fewer than {@code concurrency} requests to it in flight, a request
 * counting until its outcome is recorded. Each claim is the oldest unfinished delivery of its task, so a task's events
 * go out one after the other while other tasks' go out beside them. No thread waits for an answer, so a slow or dead
 * endpoint fills its own subscription's room and no other's.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** Rounds a batch of outcomes is offered to the database before it is given up (the deliveries then go again). */
    private static final int RECORD_TRIES = 3;

    private final DeliveryStore deliveries;
    private final ObjectMapper json;
    private final WebhooksConfig config;
    private final CommitSignal commits;
    private final Workers workers;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final RetryPolicy retries;
    private final Runnable wakeUp = this::wake;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Queue<Outcome> answered = new ConcurrentLinkedQueue<>();
    /** Requests sent and not yet recorded, for {@link #stop()}. */
    private final AtomicInteger unfinished = new AtomicInteger();

    // the loop thread's own
    private final Map<UUID, Integer> inFlight = new HashMap<>();
    private List<Outcome> unrecorded = List.of();
    private int recordTries;

    private DeliveryMetrics metrics;
    private Sender sender;
    private volatile boolean accepting;
    private volatile UUID token;
    private SupervisedThread loop;

    Dispatcher(
            DeliveryStore deliveries,
            ObjectMapper json,
            WebhooksConfig config,
            CommitSignal commits,
            Workers workers,
            Vertx vertx,
            MeterRegistry registry) {
        this.deliveries = deliveries;
        this.json = json;
        this.config = config;
        this.commits = commits;
        this.workers = workers;
        this.vertx = vertx;
        this.registry = registry;
        this.retries = new RetryPolicy(config.retrySchedule(), config.maxRetryAfter());
    }

    void onStart(@Observes StartupEvent start) {
        if (config.lease().compareTo(config.timeout()) <= 0) {
            // a lease that lapses while its request may still be going would let another instance send it too
            throw new IllegalStateException("reelhook.webhooks.lease (" + config.lease()
                    + ") must be longer than reelhook.webhooks.timeout (" + config.timeout() + ")");
        }
        metrics = new DeliveryMetrics(registry);
        sender = new Sender(vertx, config.timeout(), config.allowPrivate(), UrlGuard.SYSTEM);
        commits.listen(wakeUp);
        start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        commits.unlisten(wakeUp);
        stop();
        sender.close();
    }

    /** Starts the loop (again), under a new lease token. */
    synchronized void start() {
        token = UUID.randomUUID();
        accepting = true;
        SupervisedThread[] self = new SupervisedThread[1];
        self[0] = new SupervisedThread(
                "reelhook-webhooks", () -> run(self[0]), Duration.ofSeconds(1), Duration.ofSeconds(30));
        loop = self[0].start();
        workers.register(List.of(loop));
    }

    /**
     * Claims nothing more, waits (at most the timeout) for the requests in flight and records them, then ends the
     * loop. What is still pending stays in the database; what could not be recorded goes again once its lease lapses.
     */
    synchronized void stop() {
        accepting = false;
        long deadline = System.nanoTime() + config.timeout().plusSeconds(2).toNanos();
        try {
            while (unfinished.get() > 0 && System.nanoTime() < deadline) {
                wake();
                Thread.sleep(20);
            }
            loop.stop();
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.unregister(List.of(loop));
    }

    private void wake() {
        wake.offer(Boolean.TRUE);
    }

    private void run(SupervisedThread self) throws InterruptedException {
        while (!self.stopping()) {
            if (!round()) {
                wake.poll(config.poll().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private record Round(int moved, List<Claim> claims) {}

    /**
     * Records what was answered, fans out and claims, in one transaction, then sends what it claimed. True when it
     * did anything: then there may be more to do at once (a task's next delivery, more events, more room).
     */
    private boolean round() {
        List<Outcome> batch = new ArrayList<>(unrecorded);
        for (Outcome o = answered.poll(); o != null; o = answered.poll()) {
            batch.add(o);
        }
        boolean claiming = accepting;
        Map<UUID, Integer> busy = new HashMap<>(inFlight);
        release(busy, batch);
        Round done;
        boolean recorded = true;
        try {
            done = deliveries.inTransaction(c -> {
                DeliveryStore.record(c, batch, config.disableAfter());
                if (!claiming) {
                    return new Round(0, List.of());
                }
                int moved = DeliveryStore.fanOut(c, config.scanBatch());
                return new Round(moved, DeliveryStore.claim(c, busy, config.concurrency(), config.lease(), token));
            });
        } catch (SQLException | RuntimeException e) {
            if (batch.isEmpty() || ++recordTries < RECORD_TRIES) {
                LOG.debugf(e, "a subscription dispatcher round failed; the next one tries again");
                unrecorded = batch;
                return false;
            }
            LOG.warnf(
                    e,
                    "%d delivery outcomes could not be recorded; those deliveries go again once their leases lapse",
                    batch.size());
            done = new Round(0, List.of());
            recorded = false;
        }
        if (recorded) {
            batch.forEach(metrics::recorded);
        }
        unrecorded = List.of();
        recordTries = 0;
        release(inFlight, batch);
        unfinished.addAndGet(-batch.size());
        send(done.claims());
        return !batch.isEmpty() || done.moved() > 0 || !done.claims().isEmpty();
    }

    private static void release(Map<UUID, Integer> busy, List<Outcome> finished) {
        for (Outcome o : finished) {
            busy.computeIfPresent(o.claim().subscriptionId(), (id, n) -> n == 1 ? null : n - 1);
        }
    }

    private void send(List<Claim> claims) {
        // one event usually goes to several subscriptions in the same round
        Map<Long, byte[]> bodies = new HashMap<>();
        for (Claim claim : claims) {
            inFlight.merge(claim.subscriptionId(), 1, Integer::sum);
            unfinished.incrementAndGet();
            byte[] body = bodies.computeIfAbsent(
                    claim.event().sequence(), s -> claim.event().json(json).getBytes(StandardCharsets.UTF_8));
            sender.send(claim.url(), claim.event().eventId().toString(), body, claim.secrets())
                    .thenAccept(attempt -> {
                        answered.add(new Outcome(claim, attempt, retryAt(claim, attempt)));
                        wake();
                    });
        }
    }

    private Instant retryAt(Claim claim, Attempt attempt) {
        return attempt.delivered() || attempt.gone() ? null : retries.next(claim.attempts() + 1, attempt);
    }
}
