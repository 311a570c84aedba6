package io.reelhook.events;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams sequenced events to subscribers: first what they missed, from PostgreSQL by sequence, then live events
 * that the relay hands over. Each subscriber has its own bounded buffer; one that falls too far behind is dropped
 * (it resumes with Last-Event-ID), so a slow client never holds up the relay.
 */
@ApplicationScoped
public class EventBroadcaster implements OutboxRelay.FanOut {

    @Inject
    EventStore store;

    @Inject
    OutboxConfig config;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    /** Called by the relay with newly committed events, in sequence order. */
    @Override
    public void accept(List<EventMessage> events) {
        subscribers.forEach(subscriber -> subscriber.offer(events));
    }

    @Override
    public boolean listening() {
        return !subscribers.isEmpty();
    }

    /** Events matching {@code filter} after sequence {@code after}, then live ones; {@code null}: live only. */
    public Multi<EventMessage> stream(Long after, EventFilter filter) {
        AtomicLong last = new AtomicLong(after == null ? -1 : after);
        Multi<EventMessage> replay = Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> page(last, filter))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .until(List::isEmpty)
                .onItem().disjoint();
        Multi<EventMessage> live = Multi.createFrom().<EventMessage>emitter(
                        emitter -> join(emitter, last.get(), filter), BackPressureStrategy.ERROR)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onOverflow().buffer(config.sseBuffer());
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
