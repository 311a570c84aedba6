package io.reelhook.embedded;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Supplies the embedded servers' addresses; the first read by the application (never by the Quarkus build) starts
 * both servers if they have not been started already.
 */
final class EmbeddedServicesConfigSource implements ConfigSource {

    static final int ORDINAL = 10;
    private static final String USERNAME = "quarkus.datasource.username";
    private static final String PASSWORD = "quarkus.datasource.password";

    private final boolean postgres;
    private final boolean kafka;
    private final Path dataDir;
    private final int kafkaPort;

    EmbeddedServicesConfigSource(boolean postgres, boolean kafka, Path dataDir, int kafkaPort) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.dataDir = dataDir;
        this.kafkaPort = kafkaPort;
    }

    @Override
    public Set<String> getPropertyNames() {
        Set<String> names = new HashSet<>();
        if (postgres) {
            names.addAll(Set.of(EmbeddedServicesConfigSourceFactory.JDBC_URL, USERNAME, PASSWORD));
        }
        if (kafka) {
            names.add(EmbeddedServicesConfigSourceFactory.BOOTSTRAP_SERVERS);
        }
        return names;
    }

    @Override
    public String getValue(String name) {
        if (postgres) {
            switch (name) {
                case USERNAME:
                    return EmbeddedPostgresServer.USER;
                case PASSWORD:
                    return EmbeddedPostgresServer.PASSWORD;
                case EmbeddedServicesConfigSourceFactory.JDBC_URL:
                    return startUnlessBuilding() ? EmbeddedServices.postgresUrl() : null;
                default:
            }
        }
        if (kafka && EmbeddedServicesConfigSourceFactory.BOOTSTRAP_SERVERS.equals(name)) {
            return startUnlessBuilding() ? EmbeddedServices.kafkaServers() : null;
        }
        return null;
    }

    /** Starts both servers unless this is the Quarkus build; a no-op once they are started. */
    boolean startUnlessBuilding() {
        if (building()) {
            return false;
        }
        EmbeddedServices.start(postgres, kafka, dataDir, kafkaPort);
        return true;
    }

    @Override
    public String getName() {
        return "reelhook-embedded-services";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    /**
     * The Quarkus build (package, dev and test augmentation) reads these keys too and must not start servers.
     * Build steps run inside io.quarkus.builder / the augmentor; re-check these names on Quarkus upgrades.
     */
    private static boolean building() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(f -> {
                    String type = f.getClassName();
                    return type.startsWith("io.quarkus.builder.")
                            || type.startsWith("io.quarkus.deployment.QuarkusAugmentor");
                }));
    }
}
