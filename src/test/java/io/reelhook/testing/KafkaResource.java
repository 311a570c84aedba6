package io.reelhook.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reelhook.embedded.EmbeddedKafkaServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real Kafka broker (KRaft) in the test JVM for the whole suite. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaServer server;
    private static Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("reelhook-test-kafka");
            server = EmbeddedKafkaServer.start(dir, 0);
            return Map.of("kafka.bootstrap.servers", server.bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("test Kafka did not start", e);
        }
    }

    /** Takes the broker away, as an outage would; {@link #restart()} brings it back on the same port and data. */
    public static synchronized void halt() {
        server.close();
    }

    public static synchronized void restart() throws Exception {
        server = EmbeddedKafkaServer.start(dir, server.port());
    }

    @Override
    public void stop() {
        server.close();
    }
}
