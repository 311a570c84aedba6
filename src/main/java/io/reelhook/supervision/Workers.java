package io.reelhook.supervision;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The process's own long-running threads (outbox relay, ledger writers), for {@link WorkersHealthCheck}. */
@ApplicationScoped
public class Workers {

    private final Set<SupervisedThread> threads = ConcurrentHashMap.newKeySet();

    public void register(Collection<SupervisedThread> started) {
        threads.addAll(started);
    }

    public void unregister(Collection<SupervisedThread> stopped) {
        threads.removeAll(stopped);
    }

    public Set<SupervisedThread> all() {
        return Set.copyOf(threads);
    }
}
