package io.reelhook.stream;

import io.reelhook.outbox.OutboxConfig;
import io.reelhook.supervision.SupervisedThread;
import io.reelhook.supervision.Workers;
import io.reelhook.task.CommitSignal;
import io.reelhook.task.EventFilter;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads newly committed events after its own position and hands them to its {@link Sink}, in sequence order. It wakes
 * on each {@link CommitSignal} and, should a signal be lost, every {@code reelhook.outbox.sweep}. Its thread survives
 * anything thrown at it (see {@link SupervisedThread}); a sink that threw gets the same events again once restarted.
 */
public final class FanOut implements AutoCloseable {

    /** Where the events go. */
    @FunctionalInterface
    public interface Sink {

        void accept(List<EventMessage> events);

        /** False while nobody would receive them: the fan-out then skips reading events. */
        default boolean listening() {
            return true;
        }
    }

    private static final Logger LOG = Logger.getLogger(FanOut.class);

    private final EventStore store;
    private final Sink sink;
    private final CommitSignal commits;
    private final OutboxConfig config;
    private final Workers workers;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Runnable signalled = () -> wake.offer(Boolean.TRUE);
    private final SupervisedThread thread;

    private volatile boolean running = true;
    private long position = -1;

    public FanOut(EventStore store, Sink sink, CommitSignal commits, OutboxConfig config, Workers workers) {
        this.store = store;
        this.sink = sink;
        this.commits = commits;
        this.config = config;
        this.workers = workers;
        this.thread = new SupervisedThread("stream-fan-out", this::run, config.sweep(), config.maxBackoff());
    }

    public FanOut start() {
        commits.listen(signalled);
        workers.register(List.of(thread));
        thread.start();
        return this;
    }

    /** Its thread, for the liveness check and tests. */
    public SupervisedThread thread() {
        return thread;
    }

    private void run() throws InterruptedException {
        while (running) {
            try {
                if (position < 0) {
                    position = store.maxSequence();
                }
                wake.poll(config.sweep().toMillis(), TimeUnit.MILLISECONDS);
                handOver();
            } catch (EventStore.EventStoreException databaseDown) {
                // not a crash: the database checks report it, and the events wait there until it is back
                LOG.warnf("event stream fan-out cannot read events (%s); retrying", databaseDown.getMessage());
                Thread.sleep(config.sweep().toMillis());
            }
        }
    }

    private void handOver() {
        if (!sink.listening()) {
            // read, then ask again: a listener that joins after this answer catches up from the database past it
            long committed = store.maxSequence();
            if (!sink.listening()) {
                position = committed;
                return;
            }
        }
        List<EventMessage> events;
        do {
            events = store.after(position, EventFilter.ALL, config.batchSize());
            if (!events.isEmpty()) {
                sink.accept(events);
                // after the hand-over: a sink that threw gets these again once restarted
                position = events.get(events.size() - 1).sequence();
            }
        } while (events.size() == config.batchSize());
    }

    @Override
    public void close() {
        running = false;
        commits.unlisten(signalled);
        thread.stop();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.unregister(List.of(thread));
    }
}
