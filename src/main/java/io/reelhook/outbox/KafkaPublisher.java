package io.reelhook.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Sends events through the SmallRye Kafka connector; a send completes only once Kafka acknowledged it. */
@ApplicationScoped
public class KafkaPublisher {

    static final URI SOURCE = URI.create("reelhook");

    /** What a batch achieved: the sequences Kafka acknowledged, and the first failure, if any. */
    public record Delivery(List<Long> acked, Throwable failure) {}

    @Inject
    @Channel("task-events")
    Emitter<String> taskEvents;

    @Inject
    @Channel("indexing-completed")
    Emitter<String> indexingCompleted;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    TopicsConfig topics;

    /**
     * Publishes stored events (in sequence order) so that a task's event is sent only once its predecessor was
     * acknowledged: per task, Kafka order is commit order whatever the producer or the connector retries. Tasks
     * proceed in parallel. A failure stops that task's events; the others go on.
     */
    public CompletionStage<Delivery> publishInTaskOrder(List<EventStore.Stored> events) {
        List<Long> acked = Collections.synchronizedList(new ArrayList<>());
        Map<String, CompletableFuture<Void>> tails = new HashMap<>();
        for (EventStore.Stored event : events) {
            CompletableFuture<Void> previous =
                    tails.getOrDefault(event.message().subject(), CompletableFuture.completedFuture(null));
            tails.put(
                    event.message().subject(),
                    previous.thenCompose(done -> publish(event.message(), event.completes()))
                            .thenRun(() -> acked.add(event.sequence())));
        }
        CompletableFuture<?>[] all = tails.values().toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all)
                .handle((done, failure) -> new Delivery(
                        List.copyOf(acked),
                        failure instanceof CompletionException wrapped ? wrapped.getCause() : failure));
    }

    /** Publishes to the task-events topic, and also to indexing-completed when {@code completes}. */
    public CompletionStage<Void> publish(EventMessage event, boolean completes) {
        String value = event.json(json);
        CompletionStage<Void> all = send(taskEvents, topics.taskEvents(), event.subject(), event, value);
        if (!completes) {
            return all;
        }
        // the two topics are ordered independently, so both sends can be in flight together
        return CompletableFuture.allOf(
                all.toCompletableFuture(),
                send(indexingCompleted, topics.indexingCompleted(), event.completedKey(), event, value)
                        .toCompletableFuture());
    }

    private CompletionStage<Void> send(
            Emitter<String> emitter, String topic, String key, EventMessage event, String value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId().toString())
                        .withType("io.twelvelabs." + event.type())
                        .withSource(SOURCE)
                        .withSubject(key)
                        .withDataContentType("application/json")
                        .build())
                .withAck(() -> {
                    registry.counter("reelhook.events.published", "topic", topic)
                            .increment();
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException notAccepted) {
            // the channel is not subscribed yet, or its buffer is full: the relay retries later
            acked.completeExceptionally(notAccepted);
        }
        return acked;
    }
}
