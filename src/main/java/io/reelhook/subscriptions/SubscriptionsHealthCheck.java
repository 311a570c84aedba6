package io.reelhook.subscriptions;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.List;

/**
 * "subscriptions" at {@code /q/health/well}: DOWN while an enabled subscription's deliveries are failing, naming
 * them; a failing subscriber never takes this instance out of rotation.
 */
@Wellness
@ApplicationScoped
public class SubscriptionsHealthCheck implements HealthCheck {

    private final SubscriptionStore store;

    SubscriptionsHealthCheck(SubscriptionStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("subscriptions");
        try {
            List<Subscription> all = store.list();
            List<Subscription> failing = all.stream()
                    .filter(s -> s.enabled() && s.failingSince() != null)
                    .toList();
            failing.forEach(s -> health.withData(s.id().toString(), s.url() + " failing since " + s.failingSince()));
            long disabled = all.stream()
                    .filter(s -> !s.enabled()
                            && s.disabledReason() != null
                            && !s.disabledReason().contains("through the API"))
                    .count();
            return health.status(failing.isEmpty())
                    .withData("failing", failing.size())
                    .withData("disabled_by_failures", disabled)
                    .build();
        } catch (RuntimeException e) {
            return health.down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
