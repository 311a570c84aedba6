package io.reelhook.task;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelhook.supervision.SupervisedThread;
import io.reelhook.supervision.Workers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one place where task statuses change and events are written: stores the event, moves the task and queues the
 * publication (the event row is the outbox entry) in one transaction, for uploads, webhooks and the reconciler alike.
 * The decisions are {@link LedgerPlan}'s, the SQL is {@link LedgerStore}'s.
 * <p>
 * It group-commits: concurrent callers' observations are written by a few writer threads, many per transaction, and
 * each caller returns only after the transaction holding its observation committed. One fsync then serves a whole
 * batch, which is what lets the webhook receiver keep up with Twelve Labs' bursts. A caller whose own rows must
 * commit with the event (the reconciler) calls from inside its transaction, and the same statements run in it.
 */
@ApplicationScoped
public class TaskLedger {

    private static final Logger LOG = Logger.getLogger(TaskLedger.class);
    private static final int ATTEMPTS = 3;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransactionManager transactions;

    @Inject
    LedgerStore store;

    @Inject
    MeterRegistry registry;

    @Inject
    Workers workers;

    @Inject
    LedgerConfig config;

    private BlockingQueue<Pending> queue;
    private final List<SupervisedThread> threads = new ArrayList<>();
    private DistributionSummary batches;

    private record Pending(Observation observation, CompletableFuture<Optional<TaskEvent>> done) {}

    @PostConstruct
    void start() {
        queue = new LinkedBlockingQueue<>(config.maxWaiting());
        batches = DistributionSummary.builder("reelhook.ledger.batch")
                .description("Observations committed per group-commit transaction")
                .register(registry);
        for (int i = 0; i < config.writers(); i++) {
            // a writer that dies of anything is started again; the liveness check watches it
            threads.add(new SupervisedThread(
                            "ledger-writer-" + i, this::drain, Duration.ofSeconds(1), Duration.ofSeconds(30))
                    .start());
        }
        workers.register(threads);
    }

    @PreDestroy
    void stop() {
        workers.unregister(threads);
        threads.forEach(SupervisedThread::stop);
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new IllegalStateException("shutting down")));
    }

    /**
     * Records a newly uploaded task and its first event, and returns once they are committed. Twelve Labs'
     * notification may beat the upload's own answer and create the task first: then the upload's details are added
     * and its event joins the history, without moving the status back.
     *
     * @return the upload's event, or empty when this task's upload was already recorded (a write that committed
     *     though its caller saw it fail)
     * @throws LedgerUnavailableException when the database cannot be reached (nothing was stored)
     */
    public Optional<TaskEvent> recordUpload(Task upload) {
        return recordUpload(upload, null);
    }

    /**
     * {@link #recordUpload(Task)} for an upload that Twelve Labs answered at {@code answeredAt} and that could only
     * be stored later: the task and its upload event are dated as they would have been then (null: now).
     */
    public Optional<TaskEvent> recordUpload(Task upload, OffsetDateTime answeredAt) {
        // Twelve Labs' task starts out validating the video it was just given
        return record(new Observation(
                upload.id,
                EventSource.UPLOAD,
                null,
                TaskStatus.VALIDATING,
                null,
                answeredAt,
                upload.indexId,
                upload.videoId,
                null,
                null,
                Upload.of(upload)));
    }

    /**
     * Records an observation of a task, creating the task if Reelhook has not seen it (uploaded by another client),
     * and returns once it is committed. Inside a caller's transaction it joins that transaction instead.
     *
     * @return the stored event, or empty when the notification (a redelivery) or the task's upload was already recorded
     * @throws LedgerUnavailableException when the database cannot be reached (nothing was stored)
     */
    public Optional<TaskEvent> record(Observation observation) {
        if (inTransaction()) {
            try (Connection connection = dataSource.getConnection()) {
                return Optional.ofNullable(store.write(connection, List.of(observation), now(), false)
                        .get(0));
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        try {
            return submit(observation).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the observation was being committed", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * {@link #record} without waiting, for callers on an event loop: the future completes, on a writer thread, once
     * the transaction holding the observation committed, or fails with {@link LedgerUnavailableException}. Never
     * joins a caller's transaction.
     */
    public CompletableFuture<Optional<TaskEvent>> submit(Observation observation) {
        Pending pending = new Pending(observation, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            // a flood must not fill the heap: the database is the bottleneck, and the sender may retry
            pending.done()
                    .completeExceptionally(new LedgerUnavailableException(new IllegalStateException(
                            config.maxWaiting() + " observations already wait for a commit")));
        }
        return pending.done();
    }

    private void drain() throws InterruptedException {
        List<Pending> batch = new ArrayList<>(config.maxBatch());
        while (!Thread.currentThread().isInterrupted()) {
            batch.add(queue.take());
            queue.drainTo(batch, config.maxBatch() - 1);
            try {
                commit(batch);
            } finally {
                // whatever escaped commit, no caller is left waiting for an answer that will never come
                batch.forEach(p -> p.done()
                        .completeExceptionally(new IllegalStateException(
                                "the ledger writer failed while recording this observation")));
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        try {
            List<TaskEvent> events =
                    write(batch.stream().map(Pending::observation).toList());
            batches.record(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(Optional.ofNullable(events.get(i)));
            }
        } catch (LedgerUnavailableException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
            } else {
                // one bad observation must not fail the others that shared its transaction
                LOG.debugf(e, "a batch of %d failed; retrying its observations one by one", batch.size());
                batch.forEach(p -> commit(List.of(p)));
            }
        }
    }

    private List<TaskEvent> write(List<Observation> observations) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    return store.write(connection, observations, now(), true);
                } catch (SQLException | RuntimeException | Error e) {
                    rollback(connection);
                    throw e;
                }
            } catch (SQLException e) {
                if (!retryable(e) || attempt == ATTEMPTS) {
                    throw failure(e);
                }
            }
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the server rolls back on its own
        }
    }

    /** A deadlock, or a notification committed by a writer that this one waited for (see LedgerStore). */
    private static boolean retryable(SQLException e) {
        return List.of("40P01", "40001", "23505").contains(e.getSQLState());
    }

    private static RuntimeException failure(SQLException e) {
        String state = e.getSQLState();
        // 08: connection exceptions; 57P0x: the server shuts down or is starting; null: the pool could not connect
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return new LedgerUnavailableException(e);
        }
        return new IllegalStateException("the ledger could not record an observation", e);
    }

    private boolean inTransaction() {
        try {
            return transactions.getStatus() == Status.STATUS_ACTIVE;
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
