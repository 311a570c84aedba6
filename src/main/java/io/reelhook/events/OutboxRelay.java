package io.reelhook.events;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The transactional outbox relay. Writers only insert task_event rows; this relay, on every instance, listens for
 * their commit (NOTIFY {@code task_event}) on a dedicated connection. The one instance whose connection holds the
 * outbox advisory lock is the leader: it numbers committed rows ({@code sequence}, in id order, one short
 * transaction per batch, on the lock's own connection so that a lost lock also loses the transaction) and publishes
 * them to Kafka in sequence order, marking each row only once Kafka acknowledged it. When the leader's connection
 * dies, PostgreSQL releases the lock and another instance's relay takes over from the first unmarked row.
 * <p>
 * Every instance also hands newly sequenced events to its in-process {@code fanOut} (the SSE stream), whoever
 * sequenced them: the leader NOTIFYs {@code task_event_sequenced} with each batch.
 */
public final class OutboxRelay implements AutoCloseable {

    /** "reelhook" in ASCII: the advisory lock key of the outbox leader. */
    static final long LOCK_KEY = 0x7265656c686f6f6bL;

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final String url;
    private final String user;
    private final String password;
    private final EventStore store;
    private final KafkaPublisher publisher;
    private final Consumer<List<EventMessage>> fanOut;
    private final OutboxConfig config;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Thread leaderThread;
    private final Thread publisherThread;

    private volatile boolean running = true;
    private volatile boolean leader;
    private volatile Connection connection;
    private long fannedOut = -1;

    public OutboxRelay(String url, String user, String password, EventStore store, KafkaPublisher publisher,
            Consumer<List<EventMessage>> fanOut, OutboxConfig config) {
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
                    s.execute("LISTEN task_event_sequenced");
                }
                if (fannedOut < 0) {
                    fannedOut = store.maxSequence();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    if (!leader) {
                        leader = tryLock(c);
                        if (leader) {
                            LOG.info("this instance now relays the outbox to Kafka");
                        }
                    }
                    if (leader && sequence(c) > 0) {
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

    /**
     * Numbers committed, unnumbered rows in id order, one committed batch after another, so that a reader who saw
     * sequence N never later meets a smaller one.
     */
    private int sequence(Connection c) throws SQLException {
        int total = 0;
        int batch;
        do {
            c.setAutoCommit(false);
            try {
                List<Long> ids = longs(c, "SELECT id FROM task_event WHERE sequence IS NULL ORDER BY id LIMIT ?",
                        config.batchSize());
                batch = ids.size();
                if (batch > 0) {
                    List<Long> numbers = longs(c,
                            "SELECT nextval('task_event_sequence') FROM generate_series(1, ?)", batch);
                    numbers.sort(null);
                    try (PreparedStatement s = c.prepareStatement("""
                            UPDATE task_event t SET sequence = n.sequence
                            FROM unnest(?::bigint[], ?::bigint[]) AS n(id, sequence) WHERE t.id = n.id""");
                         Statement notify = c.createStatement()) {
                        Array idArray = c.createArrayOf("bigint", ids.toArray());
                        s.setArray(1, idArray);
                        s.setArray(2, c.createArrayOf("bigint", numbers.toArray()));
                        s.executeUpdate();
                        notify.execute("NOTIFY task_event_sequenced");
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            total += batch;
        } while (batch == config.batchSize());
        return total;
    }

    private static List<Long> longs(Connection c, String sql, int parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, parameter);
            List<Long> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getLong(1));
                }
            }
            return values;
        }
    }

    private void fanOut() {
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

    /** Publishes one batch and marks what Kafka acknowledged; true when the batch was full. */
    private boolean publishBatch() throws InterruptedException, ExecutionException {
        List<EventStore.Stored> batch = store.unpublished(config.batchSize());
        if (batch.isEmpty()) {
            return false;
        }
        KafkaPublisher.Delivery delivery = publisher.publishInTaskOrder(batch).toCompletableFuture().get();
        store.markPublished(delivery.acked());
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
