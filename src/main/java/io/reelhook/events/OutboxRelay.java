package io.reelhook.events;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Every instance also hands newly committed events to its in-process {@code fanOut} (the SSE stream).
 */
public final class OutboxRelay implements AutoCloseable {

    /** Where every instance hands newly committed events, in sequence order. */
    @FunctionalInterface
    public interface FanOut {

        void accept(List<EventMessage> events);

        /** False while nobody would receive them: the relay then skips reading events. */
        default boolean listening() {
            return true;
        }
    }

    /** "reelhook" in ASCII: the advisory lock key of the outbox leader. */
    static final long LOCK_KEY = 0x7265656c686f6f6bL;

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final String url;
    private final String user;
    private final String password;
    private final EventStore store;
    private final KafkaPublisher publisher;
    private final FanOut fanOut;
    private final OutboxConfig config;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Thread leaderThread;
    private final Thread publisherThread;

    private volatile boolean running = true;
    private volatile boolean leader;
    /** Counts the times this relay took the lock, so that the publisher notices a lost and retaken lead. */
    private volatile long term;
    /** Publisher thread only: events past the watermark that Kafka acknowledged during {@link #publishedTerm}. */
    private final Set<Long> ahead = new HashSet<>();
    private long publishedTerm;
    private volatile Connection connection;
    private long fannedOut = -1;

    public OutboxRelay(String url, String user, String password, EventStore store, KafkaPublisher publisher,
            FanOut fanOut, OutboxConfig config) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.store = store;
        this.publisher = publisher;
        this.fanOut = fanOut;
        this.config = config;
        this.leaderThread = new Thread(this::listen, "outbox-relay");
        this.publisherThread = new Thread(this::publish, "outbox-publisher");
    }

    public OutboxRelay start() {
        leaderThread.start();
        publisherThread.start();
        return this;
    }

    /** True while this relay holds the outbox lock. */
    public boolean leader() {
        return leader;
    }

    private void listen() {
        while (running) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN task_event");
                }
                if (fannedOut < 0) {
                    fannedOut = store.maxSequence();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    if (!leader) {
                        leader = tryLock(c);
                        if (leader) {
                            term++;
                            LOG.info("this instance now relays the outbox to Kafka");
                        }
                    }
                    if (leader) {
                        wake.offer(Boolean.TRUE);
                    }
                    fanOut();
                    pg.getNotifications((int) config.sweep().toMillis());
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("outbox relay lost its database connection (%s); retrying", e.getMessage());
                }
            } finally {
                if (leader) {
                    LOG.info("this instance no longer relays the outbox");
                }
                leader = false;
                connection = null;
            }
            pause(config.sweep());
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private void fanOut() {
        if (!fanOut.listening()) {
            // read, then ask again: a listener that joins after this answer catches up from the database past it
            long committed = store.maxSequence();
            if (!fanOut.listening()) {
                fannedOut = committed;
                return;
            }
        }
        List<EventMessage> events;
        do {
            events = store.after(fannedOut, EventFilter.ALL, config.batchSize());
            if (!events.isEmpty()) {
                fannedOut = events.get(events.size() - 1).sequence();
                fanOut.accept(events);
            }
        } while (events.size() == config.batchSize());
    }

    private void publish() {
        Duration backoff = config.sweep();
        while (running) {
            try {
                wake.poll(config.sweep().toMillis(), TimeUnit.MILLISECONDS);
                while (running && leader && publishBatch()) {
                    // a full batch: there may be more
                }
                backoff = config.sweep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | RuntimeException e) {
                LOG.warnf("outbox publication failed (%s); retrying in %s", rootMessage(e), backoff);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
                        : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Publishes one batch and moves the watermark over its acknowledged prefix; true when the batch was full. Events
     * that Kafka acknowledged past a failure are remembered, not resent, while this relay keeps the lead; a new leader
     * resends them (a consumer dedupes on event_id).
     */
    private boolean publishBatch() throws InterruptedException, ExecutionException {
        if (publishedTerm != term) {
            publishedTerm = term;
            ahead.clear();
        }
        List<EventStore.Stored> batch = store.unpublished(config.batchSize());
        if (batch.isEmpty()) {
            return false;
        }
        KafkaPublisher.Delivery delivery = publisher.publishInTaskOrder(
                batch.stream().filter(event -> !ahead.contains(event.sequence())).toList()).toCompletableFuture().get();
        ahead.addAll(delivery.acked());
        long through = -1;
        for (EventStore.Stored event : batch) {
            if (!ahead.contains(event.sequence())) {
                break;
            }
            through = event.sequence();
        }
        if (through >= 0) {
            store.markPublished(through);
            long watermark = through;
            ahead.removeIf(sequence -> sequence <= watermark);
        }
        if (delivery.failure() != null) {
            throw new ExecutionException(delivery.failure());
        }
        return batch.size() == config.batchSize();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops both threads; the lock goes with the connection, so another instance takes over. */
    @Override
    public void close() {
        running = false;
        publisherThread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        leaderThread.interrupt();
        try {
            leaderThread.join(5_000);
            publisherThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
