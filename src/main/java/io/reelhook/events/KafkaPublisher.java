package io.reelhook.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Sends events through the SmallRye Kafka connector; a send completes only once Kafka acknowledged it. */
@ApplicationScoped
public class KafkaPublisher {

    static final URI SOURCE = URI.create("reelhook");

    @Inject
    @Channel("task-events")
    Emitter<String> taskEvents;

    @Inject
    @Channel("indexing-completed")
    Emitter<String> indexingCompleted;

    @Inject
    ObjectMapper json;

    /** Publishes to the task-events topic, and also to indexing-completed when {@code completes}. */
    public CompletionStage<Void> publish(EventMessage event, boolean completes) {
        CompletionStage<Void> all = send(taskEvents, event);
        return completes ? all.thenCompose(done -> send(indexingCompleted, event)) : all;
    }

    private CompletionStage<Void> send(Emitter<String> emitter, EventMessage event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(serialize(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.taskId()).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId().toString())
                        .withType("io.twelvelabs." + event.type())
                        .withSource(SOURCE)
                        .withSubject(event.taskId())
                        .withDataContentType("application/json")
                        .build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return acked;
    }

    private String serialize(EventMessage event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
