package io.reelhook.embedded;

import io.quarkus.arc.Arc;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts the embedded PostgreSQL and Kafka at most once per JVM, both at once on threads of their own, and stops them
 * after Quarkus has stopped. Only reading the JDBC URL waits for PostgreSQL; the broker's address is known before it
 * listens, so Kafka starts while Quarkus does and is waited for just before the application starts (see
 * {@link StartupBanner}). The JDBC URL and bootstrap servers are also kept as system properties so that a dev-mode
 * live reload (which loads this class anew) finds the running servers instead of starting second ones.
 */
final class EmbeddedServices {

    static final String POSTGRES_URL = "reelhook.embedded.postgres.url";
    static final String KAFKA_SERVERS = "reelhook.embedded.kafka.servers";

    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class);
    private static final Deque<CompletableFuture<? extends AutoCloseable>> STARTED = new ArrayDeque<>();
    private static final AtomicLong WAITED_FOR_POSTGRES = new AtomicLong();
    private static final AtomicLong WAITED_FOR_KAFKA = new AtomicLong();
    private static CompletableFuture<String> postgres;
    private static CompletableFuture<String> kafka;
    private static String kafkaServers;

    private EmbeddedServices() {}

    /** Starts whichever of the two is wanted and not running yet; returns at once. */
    static synchronized void start(boolean withPostgres, boolean withKafka, Path dataDir, int kafkaPort) {
        if (withPostgres && postgres == null) {
            String running = System.getProperty(POSTGRES_URL);
            postgres = running != null ? CompletableFuture.completedFuture(running) : startPostgres(dataDir);
        }
        if (withKafka && kafka == null) {
            kafkaServers = System.getProperty(KAFKA_SERVERS);
            if (kafkaServers != null) {
                kafka = CompletableFuture.completedFuture(kafkaServers);
            } else {
                int port = kafkaPort > 0 ? kafkaPort : EmbeddedKafkaServer.freePort();
                kafkaServers = "localhost:" + port;
                kafka = startKafka(dataDir, port);
            }
        }
    }

    /** The JDBC URL, once PostgreSQL accepts connections. */
    static String postgresUrl() {
        CompletableFuture<String> started;
        synchronized (EmbeddedServices.class) {
            started = postgres;
        }
        if (started == null) {
            throw new IllegalStateException("the embedded PostgreSQL was not started");
        }
        return await(started, WAITED_FOR_POSTGRES);
    }

    /** The broker's address, possibly before it listens: Kafka clients retry, and startup waits for it. */
    static synchronized String kafkaServers() {
        return kafkaServers;
    }

    /** Waits until both servers that were started are ready; throws why one could not start. */
    static void awaitStarted() {
        CompletableFuture<String> db;
        CompletableFuture<String> broker;
        synchronized (EmbeddedServices.class) {
            db = postgres;
            broker = kafka;
        }
        if (db != null) {
            await(db, WAITED_FOR_POSTGRES);
        }
        if (broker != null) {
            await(broker, WAITED_FOR_KAFKA);
        }
        if (db != null || broker != null) {
            // logging is set up only now: the configuration, which waits for PostgreSQL, comes before it
            LOG.debugf(
                    "Start-up waited %d ms for the embedded PostgreSQL and %d ms for the embedded Kafka",
                    TimeUnit.NANOSECONDS.toMillis(WAITED_FOR_POSTGRES.get()),
                    TimeUnit.NANOSECONDS.toMillis(WAITED_FOR_KAFKA.get()));
        }
    }

    private static CompletableFuture<String> startPostgres(Path dataDir) {
        Path dir = dataDir.resolve("postgres");
        long begin = System.nanoTime();
        return inBackground(
                        "embedded-postgres-start",
                        () -> EmbeddedPostgresServer.start(dir, 0),
                        "Could not start the embedded PostgreSQL in " + dir
                                + "; set QUARKUS_DATASOURCE_JDBC_URL to use an external one")
                .thenApply(server -> {
                    System.setProperty(POSTGRES_URL, server.jdbcUrl());
                    LOG.infof(
                            "Embedded PostgreSQL at %s, ready in %d ms, data in %s (set QUARKUS_DATASOURCE_JDBC_URL, "
                                    + "_USERNAME, _PASSWORD for an external one)",
                            server.jdbcUrl(),
                            millisSince(begin),
                            dir.toAbsolutePath().normalize());
                    return server.jdbcUrl();
                });
    }

    private static CompletableFuture<String> startKafka(Path dataDir, int port) {
        Path dir = dataDir.resolve("kafka");
        long begin = System.nanoTime();
        return inBackground(
                        "embedded-kafka-start",
                        () -> EmbeddedKafkaServer.start(dir, port),
                        "Could not start the "
                                + "embedded Kafka broker on port " + port + " in " + dir
                                + "; set REELHOOK_EMBEDDED_KAFKA_PORT, or KAFKA_BOOTSTRAP_SERVERS for an external one")
                .thenApply(server -> {
                    System.setProperty(KAFKA_SERVERS, server.bootstrapServers());
                    LOG.infof(
                            "Embedded Kafka broker at %s, ready in %d ms, data in %s (set KAFKA_BOOTSTRAP_SERVERS "
                                    + "for an external one)",
                            server.bootstrapServers(),
                            millisSince(begin),
                            dir.toAbsolutePath().normalize());
                    return server.bootstrapServers();
                });
    }

    private static <T extends AutoCloseable> CompletableFuture<T> inBackground(
            String name, Callable<T> start, String failure) {
        CompletableFuture<T> started = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        started.complete(start.call());
                    } catch (Throwable e) {
                        started.completeExceptionally(new IllegalStateException(failure, e));
                    }
                },
                name);
        thread.setDaemon(true);
        register(started);
        thread.start();
        return started;
    }

    private static long millisSince(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    /** Waits for a start, counting how long the caller (start-up's critical path) was held up. */
    private static String await(CompletableFuture<String> started, AtomicLong waited) {
        if (started.isDone()) {
            return join(started);
        }
        long begin = System.nanoTime();
        try {
            return join(started);
        } finally {
            waited.addAndGet(System.nanoTime() - begin);
        }
    }

    private static String join(CompletableFuture<String> started) {
        try {
            return started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException ? e.getCause() : e;
            throw new IllegalStateException(cause.getMessage(), cause.getCause());
        }
    }

    private static synchronized void register(CompletableFuture<? extends AutoCloseable> server) {
        if (STARTED.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServices::stopAll, "embedded-services-stop"));
        }
        STARTED.push(server);
    }

    private static void stopAll() {
        awaitQuarkusStopped();
        CompletableFuture<? extends AutoCloseable> started;
        while ((started = pollStarted()) != null) {
            AutoCloseable server = null;
            try {
                // one still starting (Quarkus failed meanwhile) is stopped once it runs, not left behind
                server = started.get(60, TimeUnit.SECONDS);
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (server != null) {
                    LOG.warnf(e, "Could not stop %s", server.getClass().getSimpleName());
                }
            }
        }
    }

    private static synchronized CompletableFuture<? extends AutoCloseable> pollStarted() {
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
