package io.reelhook.embedded;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Waits for the embedded servers still starting, and says which backing services are embedded and how to point at
 * real ones. It observes before everything else, Reactive Messaging's Kafka clients included, so that nothing sends
 * to a broker that is not listening yet and a broker that could not start stops the start-up.
 */
@ApplicationScoped
class StartupBanner {

    private static final Logger LOG = Logger.getLogger("io.reelhook");

    void onStart(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        EmbeddedServices.awaitStarted();
        LOG.infof(
                """

                Reelhook backing services
                  PostgreSQL  %s  %s
                  Kafka       %s  %s
                """,
                jdbcUrl,
                describe(jdbcUrl, EmbeddedServices.POSTGRES_URL, "QUARKUS_DATASOURCE_JDBC_URL"),
                bootstrapServers,
                describe(bootstrapServers, EmbeddedServices.KAFKA_SERVERS, "KAFKA_BOOTSTRAP_SERVERS"));
    }

    private static String describe(String value, String embeddedKey, String variable) {
        return value.equals(System.getProperty(embeddedKey))
                ? "(embedded; set " + variable + " to use an external one)"
                : "(external, from " + variable + ")";
    }
}
