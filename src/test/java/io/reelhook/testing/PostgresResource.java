package io.reelhook.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reelhook.embedded.EmbeddedPostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real PostgreSQL for the whole suite, in a fresh directory. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer server;
    private static Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("reelhook-test-pg");
            server = EmbeddedPostgresServer.start(dir, 0);
            return Map.of(
                    "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                    "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                    "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException("test PostgreSQL did not start", e);
        }
    }

    /** Takes the database away, as a crash or an outage would; {@link #restart()} brings it back on the same port. */
    public static synchronized void halt() throws Exception {
        server.close();
    }

    public static synchronized void restart() throws Exception {
        server = EmbeddedPostgresServer.start(dir, server.port());
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
