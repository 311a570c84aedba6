package io.reelhook.outbox;

import io.reelhook.task.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness check "outbox": DOWN while the oldest event not yet acknowledged by Kafka is older than max-lag. */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    @Inject
    Outbox outbox;

    @Inject
    OutboxConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("outbox").withData("leader", outbox.leader());
        try {
            Watermark.Lag lag = outbox.lag();
            return health.status(lag.oldest().compareTo(config.maxLag()) <= 0)
                    .withData("pending", lag.count())
                    .withData("oldest_seconds", lag.oldest().toSeconds())
                    .build();
        } catch (EventStore.EventStoreException e) {
            return health.down().withData("error", e.getMessage()).build();
        }
    }
}
