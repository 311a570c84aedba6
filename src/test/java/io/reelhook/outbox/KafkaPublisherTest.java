package io.reelhook.outbox;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.EventMessage;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class KafkaPublisherTest {

    @Inject
    KafkaPublisher publisher;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void recordSentThroughTheConnectorIsReadByAPlainConsumer() throws Exception {
        String taskId = "task_" + UUID.randomUUID();
        EventMessage event = new EventMessage(
                UUID.randomUUID(),
                7L,
                "index.task.ready",
                taskId,
                null,
                null,
                "video_1",
                "index_1",
                "ready",
                "indexing",
                "webhook",
                Instant.parse("2026-11-29T10:00:00Z"),
                Instant.parse("2026-11-29T10:00:01Z"),
                "whe_1",
                "{\"duration\": 30}");

        publisher.publish(event, true).toCompletableFuture().get(30, TimeUnit.SECONDS);

        for (String topic : List.of("twelvelabs.task-events", "twelvelabs.indexing-completed")) {
            ConsumerRecord<String, String> record = readFor(topic, taskId);
            assertThat(record.value())
                    .contains("\"event_id\":\"" + event.eventId() + "\"")
                    .contains("\"task_id\":\"" + taskId + "\"")
                    .contains("\"sequence\":7")
                    .contains("\"occurred_at\":\"2026-11-29T10:00:00Z\"")
                    .contains("\"metadata\":{\"duration\": 30}");
            assertThat(header(record, "ce_id")).isEqualTo(event.eventId().toString());
            assertThat(header(record, "ce_type")).isEqualTo("io.twelvelabs.index.task.ready");
            assertThat(header(record, "ce_source")).isEqualTo("reelhook");
            assertThat(header(record, "ce_subject")).isEqualTo(taskId);
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        }
    }

    private ConsumerRecord<String, String> readFor(String topic, String key) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                for (ConsumerRecord<String, String> record : seen) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no record keyed " + key + " on " + topic);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
