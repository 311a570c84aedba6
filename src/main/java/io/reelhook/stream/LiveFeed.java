package io.reelhook.stream;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reelhook.outbox.OutboxConfig;
import io.reelhook.supervision.Workers;
import io.reelhook.task.CommitSignal;
import io.reelhook.task.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Runs this instance's fan-out of committed events to its event stream subscribers. */
@ApplicationScoped
public class LiveFeed {

    private final EventStore store;
    private final EventBroadcaster broadcaster;
    private final CommitSignal commits;
    private final OutboxConfig config;
    private final Workers workers;
    private FanOut fanOut;

    public LiveFeed(
            EventStore store,
            EventBroadcaster broadcaster,
            CommitSignal commits,
            OutboxConfig config,
            Workers workers) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.commits = commits;
        this.config = config;
        this.workers = workers;
    }

    void start(@Observes StartupEvent start) {
        fanOut = fanOut(broadcaster).start();
    }

    void stop(@Observes ShutdownEvent stop) {
        fanOut.close();
    }

    /** A fan-out to {@code sink}, watched by the liveness check until closed; a test starts a second one. */
    FanOut fanOut(FanOut.Sink sink) {
        return new FanOut(store, sink, commits, config, workers);
    }

    /** This instance's own fan-out. */
    FanOut running() {
        return fanOut;
    }
}
