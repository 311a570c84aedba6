package io.reelhook.outbox;

import io.reelhook.task.EventSource;
import io.reelhook.task.Observation;
import io.reelhook.task.TaskStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/** Reads the suite's Kafka topics with a plain consumer, keeping only the records of the given task ids. */
public final class Topics {

    public static final String TASK_EVENTS = "twelvelabs.task-events";
    public static final String INDEXING_COMPLETED = "twelvelabs.indexing-completed";

    private Topics() {}

    /** Every record of {@code tasks} on {@code topic} now, in log order: reads from the start to the end offsets. */
    public static List<ConsumerRecord<String, String>> readAll(String topic, Set<String> tasks) {
        Properties props = new Properties();
        props.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (tasks.contains(record.key())) {
                        seen.add(record);
                    }
                });
            }
            return seen;
        }
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Observation webhook(String taskId, TaskStatus status) {
        return webhook(taskId, status, "index_test");
    }

    public static Observation webhook(String taskId, TaskStatus status, String indexId) {
        return webhook(taskId, status, indexId, Map.of("duration", 30));
    }

    public static Observation webhook(String taskId, TaskStatus status, String indexId, Map<String, Object> metadata) {
        return new Observation(
                taskId,
                EventSource.WEBHOOK,
                null,
                status,
                "whe_" + UUID.randomUUID(),
                null,
                indexId,
                "video_" + taskId,
                metadata,
                null);
    }

    public static String newTask() {
        return "task_" + UUID.randomUUID();
    }
}
