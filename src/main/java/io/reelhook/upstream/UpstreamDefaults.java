package io.reelhook.upstream;

import io.reelhook.simulator.SimulatorConfig;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

import java.util.Optional;
import java.util.Set;

/**
 * Chooses the upstream (docs/configuration.md) wherever nothing real is set, an empty value counting as unset (compose
 * files pass {@code TWELVELABS_API_KEY=} through): with no {@code twelvelabs.api-key} the built-in simulator is
 * the upstream, and its URL, key and signing secret become {@code twelvelabs.*}; with a key, Twelve Labs itself.
 * The simulator's secret and key, unless configured, are drawn at run time ({@link DrawnSecrets}): no secret is a
 * constant in the code.
 * An interceptor rather than a low-ordinal source because an empty environment variable would hide a source's
 * value; and it lists no names, so the Quarkus build cannot record the build machine's choice into the jar.
 */
// between expression expansion (3300, so that ${twelvelabs.api-url} sees these values) and profiles (3200, so that
// a %dev.twelvelabs.api-key counts)
@Priority(Priorities.LIBRARY + 250)
public class UpstreamDefaults implements ConfigSourceInterceptor {

    static final String SOURCE = "reelhook-upstream-defaults";
    static final String TWELVELABS_URL = "https://api.twelvelabs.io/v1.3";
    private static final String API_KEY = "twelvelabs.api-key";
    static final String SIMULATOR_SECRET = "reelhook.simulator.secret";
    static final String SIMULATOR_API_KEY = "reelhook.simulator.api-key";
    private static final Set<String> NAMES =
            Set.of(API_KEY, "twelvelabs.api-url", "twelvelabs.webhook-secret", "reelhook.simulator.enabled");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (name.equals(SIMULATOR_SECRET) || name.equals(SIMULATOR_API_KEY)) {
            // the simulator's own: drawn at run time whatever the upstream, used only while the simulator is on
            return isSet(value)
                    ? value
                    : drawn(name, name.equals(SIMULATOR_SECRET) ? DrawnSecrets.secret() : DrawnSecrets.apiKey());
        }
        if (!NAMES.contains(name) || isSet(value)) {
            return value;
        }
        // a blank key is itself the sign of the simulator (and asking about it again here would recurse)
        boolean simulator = API_KEY.equals(name) || simulatorUpstream(context);
        Optional<String> chosen = simulator
                ? simulatorValue(context, name)
                : Optional.of(TWELVELABS_URL).filter(url -> name.equals("twelvelabs.api-url"));
        return chosen.map(v -> drawn(name, v)).orElse(value);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static ConfigValue drawn(String name, String v) {
        return ConfigValue.builder()
                .withName(name)
                .withValue(v)
                .withRawValue(v)
                .withConfigSourceName(SOURCE)
                .build();
    }

    private static Optional<String> simulatorValue(ConfigSourceInterceptorContext context, String name) {
        return Optional.of(
                switch (name) {
                    case API_KEY -> value(context, SIMULATOR_API_KEY).orElseGet(DrawnSecrets::apiKey);
                    case "twelvelabs.api-url" ->
                        "http://localhost:"
                                + value(context, "quarkus.http.port").orElse("8080") + SimulatorConfig.BASE_PATH;
                    case "twelvelabs.webhook-secret" ->
                        value(context, SIMULATOR_SECRET).orElseGet(DrawnSecrets::secret);
                    default -> "true";
                });
    }

    /** No real key: the one seen, if any, is the simulator's, supplied here. */
    private static boolean simulatorUpstream(ConfigSourceInterceptorContext context) {
        ConfigValue key = context.restart(API_KEY);
        return key == null
                || SOURCE.equals(key.getConfigSourceName())
                || key.getValue() == null
                || key.getValue().isBlank();
    }

    private static Optional<String> value(ConfigSourceInterceptorContext context, String name) {
        return Optional.ofNullable(context.restart(name))
                .map(ConfigValue::getValue)
                .filter(v -> !v.isBlank());
    }
}
