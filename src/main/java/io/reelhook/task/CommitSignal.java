package io.reelhook.task;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Task events were committed": raised by whoever hears of a commit (the outbox relay's LISTEN connection), taken by
 * whoever reads new events (the event stream's fan-out). It carries no events: each reader reads them from the
 * {@link EventStore} after its own position, so a lost signal only delays it until its next sweep.
 */
@ApplicationScoped
public class CommitSignal {

    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

    /** Tells every listener that events were committed; a listener must not block. */
    public void committed() {
        listeners.forEach(Runnable::run);
    }

    public void listen(Runnable listener) {
        listeners.add(listener);
    }

    public void unlisten(Runnable listener) {
        listeners.remove(listener);
    }
}
