package io.reelhook.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Liveness check "workers": the process's own long-running threads (outbox relay, ledger writers). DOWN while one of
 * them stays dead (see {@link SupervisedThread#alive()}), so that the orchestrator restarts the instance.
 */
@Liveness
@ApplicationScoped
public class Workers implements HealthCheck {

    private final Set<SupervisedThread> threads = ConcurrentHashMap.newKeySet();

    public void register(Collection<SupervisedThread> started) {
        threads.addAll(started);
    }

    public void unregister(Collection<SupervisedThread> stopped) {
        threads.removeAll(stopped);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("workers").up();
        for (SupervisedThread thread : threads) {
            if (!thread.alive()) {
                health.down();
            }
            health.withData(thread.name() + "#" + Integer.toHexString(System.identityHashCode(thread)),
                    thread.alive() ? "up, " + thread.crashesInARow() + " crashes in a row"
                            : "dead: " + thread.lastCrash());
        }
        return health.build();
    }
}
