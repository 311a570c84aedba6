package io.reelhook.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reelhook.embedded.EmbeddedKafkaServer;

import java.nio.file.Files;
import java.util.Map;

/** A real Kafka broker (KRaft) in the test JVM for the whole suite. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = EmbeddedKafkaServer.start(Files.createTempDirectory("reelhook-test-kafka"), 0);
            return Map.of("kafka.bootstrap.servers", server.bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("test Kafka did not start", e);
        }
    }

    @Override
    public void stop() {
        server.close();
    }
}
