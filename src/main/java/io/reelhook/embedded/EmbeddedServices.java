package io.reelhook.embedded;

import io.quarkus.arc.Arc;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Starts the embedded PostgreSQL and Kafka at most once per JVM and stops them after Quarkus has stopped.
 * The JDBC URL and bootstrap servers are also kept as system properties so that a dev-mode live reload
 * (which loads this class anew) finds the running servers instead of starting second ones.
 */
final class EmbeddedServices {

    static final String POSTGRES_URL = "reelhook.embedded.postgres.url";
    static final String KAFKA_SERVERS = "reelhook.embedded.kafka.servers";

    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class);
    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

    private EmbeddedServices() {
    }

    static synchronized String postgres(Path dataDir) {
        String url = System.getProperty(POSTGRES_URL);
        if (url == null) {
            Path dir = dataDir.resolve("postgres");
            try {
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, 0);
                register(server);
                url = server.jdbcUrl();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dir
                        + "; set QUARKUS_DATASOURCE_JDBC_URL to use an external one", e);
            }
            System.setProperty(POSTGRES_URL, url);
            LOG.infof("Embedded PostgreSQL at %s, data in %s (set QUARKUS_DATASOURCE_JDBC_URL, _USERNAME, _PASSWORD "
                    + "for an external one)", url, dir.toAbsolutePath().normalize());
        }
        return url;
    }

    static synchronized String kafka(Path dataDir, int port) {
        String servers = System.getProperty(KAFKA_SERVERS);
        if (servers == null) {
            Path dir = dataDir.resolve("kafka");
            try {
                EmbeddedKafkaServer server = EmbeddedKafkaServer.start(dir, port);
                register(server);
                servers = server.bootstrapServers();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the embedded Kafka broker on port " + port + " in "
                        + dir + "; set REELHOOK_EMBEDDED_KAFKA_PORT, or KAFKA_BOOTSTRAP_SERVERS for an external one", e);
            }
            System.setProperty(KAFKA_SERVERS, servers);
            LOG.infof("Embedded Kafka broker at %s, data in %s (set KAFKA_BOOTSTRAP_SERVERS for an external one)",
                    servers, dir.toAbsolutePath().normalize());
        }
        return servers;
    }

    private static void register(AutoCloseable server) {
        if (STARTED.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServices::stopAll, "embedded-services-stop"));
        }
        STARTED.push(server);
    }

    private static void stopAll() {
        awaitQuarkusStopped();
        AutoCloseable server;
        while ((server = pollStarted()) != null) {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warnf(e, "Could not stop %s", server.getClass().getSimpleName());
            }
        }
    }

    private static synchronized AutoCloseable pollStarted() {
        return STARTED.poll();
    }

    /** Quarkus stops in its own shutdown hook; the database and broker must outlive it. */
    private static void awaitQuarkusStopped() {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try {
            while (Arc.container() != null && Arc.container().isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
