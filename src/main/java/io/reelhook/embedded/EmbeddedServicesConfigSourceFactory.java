package io.reelhook.embedded;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Supplies the datasource and Kafka settings, at the lowest priority, when nothing else does: any real setting
 * (environment, {@code -D}, application.properties, a test resource) wins and then nothing embedded starts.
 * Static-init safe so that a packaged application starts both servers as the very first thing it does, while Quarkus
 * initialises itself; elsewhere (dev mode) they start at the first read of either address.
 */
@StaticInitSafe
public class EmbeddedServicesConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean postgres = absent(context, JDBC_URL);
        boolean kafka = absent(context, BOOTSTRAP_SERVERS);
        if (!postgres && !kafka) {
            return List.of();
        }
        Path dataDir = Path.of(valueOr(context, "reelhook.data-dir", "./data"));
        int kafkaPort = Integer.parseInt(valueOr(context, "reelhook.embedded-kafka.port", "9092"));
        EmbeddedServicesConfigSource source = new EmbeddedServicesConfigSource(postgres, kafka, dataDir, kafkaPort);
        if (packagedApplicationStarting()) {
            source.startUnlessBuilding();
        }
        return List.of(source);
    }

    /**
     * The production application building its configuration (its generated main class is on the stack), not a test
     * JVM, a build or dev mode: only there may the servers start before anyone reads their addresses.
     */
    private static boolean packagedApplicationStarting() {
        return LaunchMode.current() == LaunchMode.NORMAL
                && StackWalker.getInstance()
                        .walk(frames ->
                                frames.anyMatch(f -> f.getClassName().startsWith("io.quarkus.runner.ApplicationImpl")));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(EmbeddedServicesConfigSource.ORDINAL);
    }

    private static boolean absent(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }

    private static String valueOr(ConfigSourceContext context, String name, String fallback) {
        return absent(context, name) ? fallback : context.getValue(name).getValue();
    }
}
