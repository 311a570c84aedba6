package io.reelhook.simulator;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream selection of CONTRACT §4, with the factory at its real (lowest) priority under other settings. */
class SimulatorConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(settings, "settings", 250))
                .withSources(new SimulatorConfigSourceFactory())
                .build();
    }

    @Test
    void withoutApiKeyTheSimulatorIsTheUpstreamAndItsSecretIsTrusted() {
        SmallRyeConfig config = config(Map.of("quarkus.http.port", "18099"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("http://localhost:18099/simulator/v1.3");
        assertThat(config.getValue("twelvelabs.api-key", String.class)).isEqualTo(SimulatorConfig.DEFAULT_API_KEY);
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo(SimulatorConfig.DEFAULT_SECRET);
        assertThat(config.getValue("reelhook.simulator.enabled", Boolean.class)).isTrue();
    }

    @Test
    void suppliedKeysAreNotListedSoThatTheBuildCannotFreezeThem() {
        assertThat(config(Map.of()).getConfigSource("reelhook-upstream"))
                .hasValueSatisfying(source -> assertThat(source.getPropertyNames()).isEmpty());
    }

    @Test
    void emptyApiKeyCountsAsNoneAndOwnSimulatorSettingsCarryOver() {
        SmallRyeConfig config = config(Map.of("twelvelabs.api-key", "", "reelhook.simulator.secret", "whsec_mine"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("http://localhost:8080/simulator/v1.3");
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo("whsec_mine");
        // an empty TWELVELABS_API_KEY still hides the supplied key: the client must then send the simulator's own
        assertThat(config.getOptionalValue("twelvelabs.api-key", String.class)).isEmpty();
    }

    @Test
    void withApiKeyTwelveLabsIsTheUpstreamAndTheSimulatorStaysOff() {
        SmallRyeConfig config = config(Map.of("twelvelabs.api-key", "tlk_real"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("https://api.twelvelabs.io/v1.3");
        assertThat(config.getOptionalValue("twelvelabs.webhook-secret", String.class)).isEmpty();
        assertThat(config.getOptionalValue("reelhook.simulator.enabled", Boolean.class)).isEmpty();
    }

    @Test
    void realSettingsOutrankTheDefaults() {
        SmallRyeConfig config = config(Map.of("twelvelabs.api-url", "http://proxy/v1.3",
                "twelvelabs.webhook-secret", "whsec_set", "reelhook.simulator.enabled", "false"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("http://proxy/v1.3");
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo("whsec_set");
        assertThat(config.getValue("reelhook.simulator.enabled", Boolean.class)).isFalse();
    }
}
