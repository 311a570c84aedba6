package io.reelhook.outbox;

import io.reelhook.supervision.SupervisedThread;
import io.reelhook.supervision.Workers;
import io.reelhook.task.CommitSignal;
import io.reelhook.task.EventStore;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transactional outbox relay. Writers only insert task_event rows, numbered in commit order by the database
 * (V50__sequence_at_insert.sql); this relay, on every instance, listens for their commit (NOTIFY {@code task_event})
 * on a dedicated connection. The one instance whose connection holds the outbox advisory lock is the leader: it
 * publishes the events after the watermark in outbox_cursor to Kafka, in sequence order, and moves the watermark over
 * what Kafka acknowledged. When the leader's connection dies, PostgreSQL releases the lock and another instance's
 * relay takes over from the watermark.
 * <p>
 * Leadership is fenced ({@link RelayLead}): the publisher checks the lead before each batch and before moving the
 * watermark, and the watermark moves only while the lock connection's backend still holds the lock.
 * <p>
 * Every instance also raises its {@link CommitSignal} on each commit it hears of (the SSE stream's fan-out takes it).
 * Both threads survive anything thrown at them (see {@link SupervisedThread}).
 */
public final class OutboxRelay implements AutoCloseable {

    static final long LOCK_KEY = RelayLead.LOCK_KEY;

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final String url;
    private final String user;
    private final String password;
    private final Watermark watermark;
    private final KafkaPublisher publisher;
    private final CommitSignal commits;
    private final OutboxConfig config;
    private final Workers workers;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final SupervisedThread listener;
    private final SupervisedThread publisherThread;
    private final RelayLead lead;

    private volatile boolean running = true;
    /** Publisher thread only: events past the watermark that Kafka acknowledged. */
    private final Set<Long> ahead = new HashSet<>();

    private volatile Connection connection;

    public OutboxRelay(
            String url,
            String user,
            String password,
            Watermark watermark,
            KafkaPublisher publisher,
            CommitSignal commits,
            OutboxConfig config,
            Workers workers) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.watermark = watermark;
        this.publisher = publisher;
        this.commits = commits;
        this.config = config;
        this.workers = workers;
        this.lead = new RelayLead(config);
        this.listener = new SupervisedThread("outbox-relay", this::listen, config.sweep(), config.maxBackoff());
        this.publisherThread =
                new SupervisedThread("outbox-publisher", this::publish, config.sweep(), config.maxBackoff());
    }

    public OutboxRelay start() {
        workers.register(threads());
        listener.start();
        publisherThread.start();
        return this;
    }

    /** The relay's two threads, for the liveness check. */
    public List<SupervisedThread> threads() {
        return List.of(listener, publisherThread);
    }

    /** True while this relay holds the outbox lock, confirmed within the lease. */
    public boolean leader() {
        return lead.leading();
    }

    private boolean leading(long expectedTerm) {
        return running && lead.leading(expectedTerm);
    }

    private void listen() throws InterruptedException {
        while (running) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                connection = c;
                // a probe (or any statement) that gets no answer fails within this instead of hanging the lead
                c.setNetworkTimeout(Runnable::run, (int) config.probeTimeout().toMillis());
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN task_event");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                // events may have been committed while this connection was not listening
                commits.committed();
                while (running) {
                    lead.renew(c);
                    if (lead.held()) {
                        wake.offer(Boolean.TRUE);
                    }
                    PGNotification[] heard =
                            pg.getNotifications((int) config.sweep().toMillis());
                    if (heard != null && heard.length > 0) {
                        commits.committed();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("outbox relay lost its database connection (%s); retrying", e.getMessage());
                }
            } finally {
                lead.resign();
                connection = null;
            }
            if (running) {
                Thread.sleep(config.sweep().toMillis());
            }
        }
    }

    private void publish() throws InterruptedException {
        Duration backoff = config.sweep();
        while (running) {
            wake.poll(config.sweep().toMillis(), TimeUnit.MILLISECONDS);
            long current = lead.term();
            try {
                while (leading(current) && publishBatch(current)) {
                    // a batch went out: there may be more
                }
                backoff = config.sweep();
            } catch (ExecutionException | RuntimeException e) {
                LOG.warnf("outbox publication failed (%s); retrying in %s", rootMessage(e), backoff);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0
                        ? config.maxBackoff()
                        : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Publishes one batch and moves the watermark over its acknowledged prefix; true when there was a batch. Events
     * that Kafka acknowledged past a failure are remembered and not resent by this relay: they are in Kafka. Another
     * instance that takes over resends them (a consumer dedupes on event_id).
     */
    private boolean publishBatch(long current) throws InterruptedException, ExecutionException {
        List<EventStore.Stored> batch = watermark.unpublished(config.batchSize(), config.batchBytes());
        if (batch.isEmpty() || !leading(current)) {
            return false;
        }
        long first = batch.get(0).sequence();
        ahead.removeIf(sequence -> sequence < first);
        KafkaPublisher.Delivery delivery = publisher
                .publishInTaskOrder(batch.stream()
                        .filter(event -> !ahead.contains(event.sequence()))
                        .toList())
                .toCompletableFuture()
                .get();
        ahead.addAll(delivery.acked());
        long through = -1;
        for (EventStore.Stored event : batch) {
            if (!ahead.contains(event.sequence())) {
                break;
            }
            through = event.sequence();
        }
        if (through >= 0) {
            if (!leading(current)) {
                return false;
            }
            watermark.markPublished(through, lead.lockPid());
            long watermark = through;
            ahead.removeIf(sequence -> sequence <= watermark);
        }
        if (delivery.failure() != null) {
            throw new ExecutionException(delivery.failure());
        }
        return true;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    /** Stops both threads; the lock goes with the connection, so another instance takes over. */
    @Override
    public void close() {
        running = false;
        lead.resign();
        publisherThread.stop();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        listener.stop();
        try {
            listener.join(Duration.ofSeconds(5));
            publisherThread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.unregister(threads());
    }
}
