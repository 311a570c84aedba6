package io.reelhook.simulator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream selection of CONTRACT §4, through a real SmallRye Config with profiles and expressions. */
class UpstreamDefaultsTest {

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile("dev")
                .withSources(new PropertiesConfigSource(settings, "settings", 250))
                .withInterceptors(new UpstreamDefaults())
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(SimulatorConfig.class)
                .build();
    }

    @Test
    void withoutApiKeyTheSimulatorIsTheUpstreamAndItsSecretIsTrusted() {
        SmallRyeConfig config = config(Map.of("quarkus.http.port", "18099",
                "quarkus.rest-client.twelvelabs.url", "${twelvelabs.api-url}"));
        assertThat(config.getValue("quarkus.rest-client.twelvelabs.url", String.class))
                .isEqualTo("http://localhost:18099/simulator/v1.3");
        assertThat(config.getValue("twelvelabs.api-key", String.class)).isEqualTo(SimulatorConfig.DEFAULT_API_KEY);
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo(SimulatorConfig.DEFAULT_SECRET);
        assertThat(config.getConfigMapping(SimulatorConfig.class).on()).isTrue();
    }

    @Test
    void emptyValuesCountAsUnsetAndOwnSimulatorSettingsCarryOver() {
        SmallRyeConfig config = config(Map.of("twelvelabs.api-key", "", "twelvelabs.api-url", "",
                "twelvelabs.webhook-secret", "", "reelhook.simulator.secret", "whsec_mine",
                "reelhook.simulator.api-key", "sim-key"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("http://localhost:8080/simulator/v1.3");
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo("whsec_mine");
        assertThat(config.getValue("twelvelabs.api-key", String.class)).isEqualTo("sim-key");
    }

    @Test
    void withApiKeyTwelveLabsIsTheUpstreamAndTheSimulatorStaysOff() {
        SmallRyeConfig config = config(Map.of("%dev.twelvelabs.api-key", "tlk_real", "twelvelabs.webhook-secret", ""));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo(UpstreamDefaults.TWELVELABS_URL);
        assertThat(config.getValue("twelvelabs.api-key", String.class)).isEqualTo("tlk_real");
        assertThat(config.getOptionalValue("twelvelabs.webhook-secret", String.class)).isEmpty();
        assertThat(config.getConfigMapping(SimulatorConfig.class).on()).isFalse();
    }

    @Test
    void realSettingsWin() {
        SmallRyeConfig config = config(Map.of("twelvelabs.api-url", "http://proxy/v1.3",
                "twelvelabs.webhook-secret", "whsec_set", "reelhook.simulator.enabled", "false"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("http://proxy/v1.3");
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo("whsec_set");
        assertThat(config.getConfigMapping(SimulatorConfig.class).on()).isFalse();
    }
}
