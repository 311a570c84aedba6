package io.reelhook.reconcile;

import io.reelhook.db.Jdbc;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import javax.sql.DataSource;
import java.util.List;

/**
 * Tells an operator about tasks that reconciliation gave up on (at {@code /q/health/well}, so that a stalled
 * upstream task never takes the instance out of a load balancer's rotation).
 */
@Wellness
@ApplicationScoped
public class StalledTasksCheck implements HealthCheck {

    private final DataSource db;

    public StalledTasksCheck(DataSource db) {
        this.db = db;
    }

    @Override
    public HealthCheckResponse call() {
        long stalled = Jdbc.number(
                db,
                "SELECT count(*) FROM task WHERE stalled_at IS NOT NULL AND status NOT IN ('ready', 'failed')",
                List.of());
        return HealthCheckResponse.named("stalled tasks")
                .status(stalled == 0)
                .withData("stalled", stalled)
                .build();
    }
}
