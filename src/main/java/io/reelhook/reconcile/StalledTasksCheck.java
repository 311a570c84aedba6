package io.reelhook.reconcile;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Tells an operator about tasks that reconciliation gave up on (at {@code /q/health/well}, so that a stalled
 * upstream task never takes the instance out of a load balancer's rotation).
 */
@Wellness
@ApplicationScoped
public class StalledTasksCheck implements HealthCheck {

    @Inject
    EntityManager em;

    @Override
    @Transactional
    public HealthCheckResponse call() {
        long stalled = ((Number) em.createNativeQuery(
                                "SELECT count(*) FROM task WHERE stalled_at IS NOT NULL AND status NOT IN ('ready', 'failed')")
                        .getSingleResult())
                .longValue();
        return HealthCheckResponse.named("stalled tasks")
                .status(stalled == 0)
                .withData("stalled", stalled)
                .build();
    }
}
