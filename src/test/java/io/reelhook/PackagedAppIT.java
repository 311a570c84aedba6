package io.reelhook;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged application as a user runs it, with nothing configured: its embedded PostgreSQL and Kafka and the
 * built-in simulator as Twelve Labs. An upload becomes ready and its completed event reaches the embedded broker.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedAppIT.AsShipped.class)
class PackagedAppIT {

    private static final String KEY = "it-client-key";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void uploadBecomesReadyAndItsCompletedEventReachesTheEmbeddedKafka() {
        String taskId = RestAssured.given()
                .header("x-api-key", KEY)
                .multiPart("index_id", "it-index")
                .multiPart("video_file", Path.of("samples/sample.mp4").toFile(), "video/mp4")
                .post("/v1.3/tasks")
                .then()
                .statusCode(200)
                .extract()
                .path("_id");

        await().atMost(PATIENCE)
                .untilAsserted(() -> RestAssured.given()
                        .header("x-api-key", KEY)
                        .get("/v1.3/tasks/" + taskId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("ready")));

        List<ConsumerRecord<String, String>> completed = completedEvents(taskId);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).value()).contains("\"type\":\"index.task.ready\"");
        // the database the task went through is the embedded one, in the data directory given to the application
        assertThat(OwnPorts.dataDir.resolve("postgres/PG_VERSION")).exists();
    }

    /** Reads the completed topic of the broker on the embedded port until the task's event has arrived. */
    private static List<ConsumerRecord<String, String>> completedEvents(String taskId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", "localhost:" + OwnPorts.kafkaPort);
        props.put("group.id", "packaged-app-it-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("twelvelabs.indexing-completed"));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (taskId.equals(record.key())) {
                        seen.add(record);
                    }
                });
                return !seen.isEmpty();
            });
            // a duplicate would arrive right behind the first
            consumer.poll(Duration.ofSeconds(1)).forEach(record -> {
                if (taskId.equals(record.key())) {
                    seen.add(record);
                }
            });
        }
        return seen;
    }

    /**
     * None of the suite's shared PostgreSQL, Kafka and WireMock: they would configure the application away from its
     * embedded services.
     */
    public static class AsShipped implements QuarkusTestProfile {

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnPorts.class));
        }
    }

    /** A data directory and ports of the application's own, so that parallel builds do not collide. */
    public static class OwnPorts implements QuarkusTestResourceLifecycleManager {

        private static final String PREFIX = "packaged-app-it-";
        static Path dataDir;
        static int kafkaPort;

        @Override
        public Map<String, String> start() {
            try {
                Path target = Files.createDirectories(Path.of("target"));
                removeFinished(target);
                dataDir = Files.createTempDirectory(target, PREFIX).toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            kafkaPort = freePort();
            // the launcher passes quarkus.http.port first: these system properties come later and win
            return Map.of(
                    "reelhook.data-dir", dataDir.toString(),
                    "reelhook.embedded-kafka.port", String.valueOf(kafkaPort),
                    "quarkus.http.port", String.valueOf(freePort()),
                    "quarkus.management.port", String.valueOf(freePort()),
                    "reelhook.api-keys", KEY,
                    // blank: the simulator is the upstream even where TWELVELABS_API_KEY is set
                    "twelvelabs.api-key", "",
                    "reelhook.simulator.step", "200ms");
        }

        /** The application stops after this; the next run removes its data. */
        @Override
        public void stop() {}

        /** Data directories of earlier runs: a few minutes old, and their PostgreSQL stopped. */
        private static void removeFinished(Path target) throws IOException {
            FileTime earlier = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
            try (Stream<Path> dirs = Files.list(target)) {
                for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX))
                        .toList()) {
                    if (Files.getLastModifiedTime(dir).compareTo(earlier) < 0
                            && !Files.exists(dir.resolve("postgres/postmaster.pid"))) {
                        try (Stream<Path> files = Files.walk(dir)) {
                            files.sorted(Comparator.reverseOrder())
                                    .forEach(path -> path.toFile().delete());
                        }
                    }
                }
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
