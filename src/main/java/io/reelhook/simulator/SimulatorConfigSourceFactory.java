package io.reelhook.simulator;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Chooses the upstream (CONTRACT §4) at the lowest priority, so that any real setting wins: with no
 * {@code twelvelabs.api-key} the built-in simulator is the upstream (its URL, key and signing secret become
 * {@code twelvelabs.*}); with a key, the upstream is Twelve Labs itself unless {@code twelvelabs.api-url} says
 * otherwise.
 */
public class SimulatorConfigSourceFactory implements ConfigSourceFactory {

    static final String TWELVELABS_URL = "https://api.twelvelabs.io/v1.3";
    private static final int ORDINAL = 5;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> values;
        if (value(context, "twelvelabs.api-key").isEmpty()) {
            values = Map.of(
                    "reelhook.simulator.enabled", "true",
                    "twelvelabs.api-url", "http://localhost:" + value(context, "quarkus.http.port").orElse("8080")
                            + SimulatorConfig.BASE_PATH,
                    "twelvelabs.api-key", value(context, "reelhook.simulator.api-key").orElse(SimulatorConfig.DEFAULT_API_KEY),
                    "twelvelabs.webhook-secret", value(context, "reelhook.simulator.secret").orElse(SimulatorConfig.DEFAULT_SECRET));
        } else {
            values = Map.of("twelvelabs.api-url", TWELVELABS_URL);
        }
        return List.of(new Unlisted(values));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        return Optional.ofNullable(context.getValue(name)).map(ConfigValue::getValue).filter(v -> !v.isBlank());
    }

    /**
     * Answers its keys without listing them: the Quarkus build records every listed runtime value as a default
     * ("Runtime Values"), which would freeze the build machine's choice (simulator secret included) into the jar.
     */
    private record Unlisted(Map<String, String> values) implements ConfigSource {

        @Override
        public Set<String> getPropertyNames() {
            return Set.of();
        }

        @Override
        public String getValue(String name) {
            return values.get(name);
        }

        @Override
        public String getName() {
            return "reelhook-upstream";
        }

        @Override
        public int getOrdinal() {
            return ORDINAL;
        }
    }
}
