package io.reelhook.subscriptions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Deliveries by outcome, the endpoints' answer time, and the time from an event's commit to its delivery. */
final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Timer delay;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("reelhook.subscriptions.delivery.latency")
                .description("time for a subscriber's endpoint to answer one delivery attempt")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.delay = Timer.builder("reelhook.subscriptions.delivery.delay")
                .description("from an event's commit to its successful delivery")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** An outcome that was recorded. */
    void recorded(Outcome outcome) {
        Attempt attempt = outcome.attempt();
        latency.record(Duration.ofMillis(attempt.latencyMs()));
        String name = attempt.delivered()
                ? "delivered"
                : attempt.gone() ? "gone" : outcome.retryAt() == null ? "failed" : "retried";
        outcomes.computeIfAbsent(
                        name,
                        o -> Counter.builder("reelhook.subscriptions.deliveries")
                                .description("subscription delivery attempts by outcome")
                                .tag("outcome", o)
                                .register(registry))
                .increment();
        if (attempt.delivered()) {
            delay.record(Duration.between(
                    outcome.claim().event().receivedAt(), attempt.at().plusMillis(attempt.latencyMs())));
        }
    }
}
