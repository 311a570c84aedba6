package io.reelhook.stream;

import io.reelhook.api.ApiException;
import io.reelhook.outbox.OutboxConfig;
import io.reelhook.task.EventFilter;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Streams sequenced events to subscribers: first what they missed, from PostgreSQL by sequence, then live events
 * that the {@link FanOut} hands over. Each subscriber has its own bounded buffer; one that falls too far behind is dropped
 * (it resumes with Last-Event-ID), so a slow client never holds up the others.
 */
@ApplicationScoped
public class EventBroadcaster implements FanOut.Sink {

    private static final Logger LOG = Logger.getLogger(EventBroadcaster.class);

    @Inject
    EventStore store;

    @Inject
    OutboxConfig config;

    @Inject
    StreamConfig limits;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * Called by the fan-out with newly committed events, in sequence order. A subscriber that throws anything is
     * dropped, alone: the fan-out and the other subscribers go on.
     */
    @Override
    public void accept(List<EventMessage> events) {
        for (Subscriber subscriber : subscribers) {
            try {
                subscriber.offer(events);
            } catch (Throwable broken) {
                LOG.warnf(broken, "dropping an event stream subscriber that failed");
                subscribers.remove(subscriber);
                subscriber.drop(broken);
            }
        }
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /**
     * Takes a stream slot, or refuses with 503 when {@code reelhook.stream.max-clients} are open; the slot is given
     * back when the returned stream terminates (completion, failure or the client going away).
     */
    private <T> Multi<T> limited(Supplier<Multi<T>> stream) {
        int maxClients = limits.maxClients();
        if (open.incrementAndGet() > maxClients) {
            open.decrementAndGet();
            throw new ApiException(
                    503,
                    "too_many_streams",
                    maxClients + " event streams are open already; retry later.",
                    Map.of("Retry-After", "5"));
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        try {
            return stream.get().onTermination().invoke(release);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    @Override
    public boolean listening() {
        return !subscribers.isEmpty();
    }

    /**
     * Events matching {@code filter} after sequence {@code after}, then live ones; {@code null}: live only. Takes one
     * of the {@code reelhook.stream.max-clients} slots while it runs.
     *
     * @throws ApiException 503 when every slot is taken
     */
    public Multi<EventMessage> stream(Long after, EventFilter filter) {
        return limited(() -> unlimited(after, filter));
    }

    private Multi<EventMessage> unlimited(Long after, EventFilter filter) {
        AtomicLong last = new AtomicLong(after == null ? -1 : after);
        Multi<EventMessage> replay = Multi.createBy()
                .repeating()
                .uni(() -> Uni.createFrom()
                        .item(() -> page(last, filter))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .until(List::isEmpty)
                .onItem()
                .disjoint();
        Multi<EventMessage> live = Multi.createFrom()
                .<EventMessage>emitter(emitter -> join(emitter, last.get(), filter), BackPressureStrategy.ERROR)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onOverflow()
                .buffer(config.sseBuffer());
        return Multi.createBy().concatenating().streams(replay, live);
    }

    private List<EventMessage> page(AtomicLong last, EventFilter filter) {
        if (last.get() < 0) {
            last.set(store.maxSequence());
            return List.of();
        }
        List<EventMessage> page = store.after(last.get(), filter, config.batchSize());
        if (!page.isEmpty()) {
            last.set(page.get(page.size() - 1).sequence());
        }
        return page;
    }

    /** Registers first, then catches up from the database, so nothing falls between replay and live. */
    private void join(MultiEmitter<? super EventMessage> emitter, long after, EventFilter filter) {
        Subscriber subscriber = new Subscriber(emitter, filter, after);
        subscribers.add(subscriber);
        emitter.onTermination(() -> subscribers.remove(subscriber));
        subscriber.start(store.after(after, filter, Integer.MAX_VALUE));
    }

    private final class Subscriber {
        private final MultiEmitter<? super EventMessage> emitter;
        private final EventFilter filter;
        private long last;
        private List<EventMessage> pending = new ArrayList<>();

        Subscriber(MultiEmitter<? super EventMessage> emitter, EventFilter filter, long after) {
            this.emitter = emitter;
            this.filter = filter;
            this.last = after;
        }

        synchronized void offer(List<EventMessage> events) {
            if (pending == null) {
                emit(events);
            } else if (pending.size() + events.size() > config.sseBuffer()) {
                emitter.fail(new IllegalStateException("subscriber fell behind; resume with Last-Event-ID"));
            } else {
                pending.addAll(events);
            }
        }

        synchronized void drop(Throwable why) {
            try {
                emitter.fail(why);
            } catch (Throwable ignored) {
                // already broken
            }
        }

        synchronized void start(List<EventMessage> missed) {
            emit(missed);
            emit(pending);
            pending = null;
        }

        private void emit(List<EventMessage> events) {
            for (EventMessage event : events) {
                if (event.sequence() > last) {
                    last = event.sequence();
                    if (filter.test(event)) {
                        emitter.emit(event);
                    }
                }
            }
        }
    }
}
