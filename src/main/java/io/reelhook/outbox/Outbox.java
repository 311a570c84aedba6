package io.reelhook.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.reelhook.supervision.Workers;
import io.reelhook.task.CommitSignal;
import io.reelhook.task.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Runs this instance's outbox relay and keeps the outbox lag gauges. */
@ApplicationScoped
public class Outbox {

    @Inject
    Watermark watermark;

    @Inject
    KafkaPublisher publisher;

    @Inject
    CommitSignal commits;

    @Inject
    OutboxConfig config;

    @Inject
    Workers workers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private final AtomicReference<Watermark.Lag> lag = new AtomicReference<>(new Watermark.Lag(0, Duration.ZERO));
    private OutboxRelay relay;

    void start(@Observes StartupEvent start, MeterRegistry registry) {
        Gauge.builder("reelhook.outbox.pending", lag, l -> l.get().count())
                .description("events committed but not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("reelhook.outbox.lag.seconds", lag, l -> l.get().oldest().toMillis() / 1000.0)
                .description("age of the oldest event not yet acknowledged by Kafka")
                .register(registry);
        relay = relay().start();
    }

    /**
     * A relay on its own connection, watched by the liveness check until closed: this instance runs one; a test
     * starts a second to play another instance.
     */
    OutboxRelay relay() {
        return new OutboxRelay(url, user, password, watermark, publisher, commits, config, workers);
    }

    void stop(@Observes ShutdownEvent stop) {
        relay.close();
    }

    /** True while this instance is the one relaying the outbox. */
    public boolean leader() {
        return relay != null && relay.leader();
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            lag();
        } catch (EventStore.EventStoreException databaseDown) {
            // the database check reports that; the gauges keep their last value
        }
    }

    /** The lag now, also kept for the gauges. */
    public Watermark.Lag lag() {
        Watermark.Lag now = watermark.lag();
        lag.set(now);
        return now;
    }
}
