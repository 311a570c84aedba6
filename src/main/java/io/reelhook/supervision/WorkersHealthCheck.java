package io.reelhook.supervision;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness check "workers": DOWN while one of the process's long-running threads stays dead (see
 * {@link SupervisedThread#alive()}), so that the orchestrator restarts the instance.
 */
@Liveness
@ApplicationScoped
public class WorkersHealthCheck implements HealthCheck {

    private final Workers workers;

    public WorkersHealthCheck(Workers workers) {
        this.workers = workers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("workers").up();
        for (SupervisedThread thread : workers.all()) {
            boolean alive = thread.alive();
            if (!alive) {
                health.down();
            }
            health.withData(
                    thread.name() + "#" + Integer.toHexString(System.identityHashCode(thread)),
                    alive ? "up, " + thread.crashesInARow() + " crashes in a row" : "dead: " + thread.lastCrash());
        }
        return health.build();
    }
}
