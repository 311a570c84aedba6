package io.reelhook.upstream;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.reelhook.simulator.SimulatorConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream selection, through a real SmallRye Config with profiles and expressions. */
class UpstreamDefaultsTest {

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile("dev")
                .withSources(new PropertiesConfigSource(settings, "settings", 250))
                .withInterceptors(new UpstreamDefaults())
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(SimulatorConfig.class)
                .build();
    }

    @Test
    void withoutApiKeyTheSimulatorIsTheUpstreamAndItsDrawnSecretIsTrusted() {
        SmallRyeConfig config = config(
                Map.of("quarkus.http.port", "18099", "quarkus.rest-client.twelvelabs.url", "${twelvelabs.api-url}"));
        assertThat(config.getValue("quarkus.rest-client.twelvelabs.url", String.class))
                .isEqualTo("http://localhost:18099/simulator/v1.3");
        SimulatorConfig simulator = config.getConfigMapping(SimulatorConfig.class);
        assertThat(simulator.on()).isTrue();
        // the receiver trusts exactly what the simulator signs with, and Reelhook sends the key the simulator wants
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class))
                .isEqualTo(simulator.secret())
                .isEqualTo(DrawnSecrets.secret())
                .isNotEqualTo("whsec_reelhook_simulator");
        assertThat(config.getValue("twelvelabs.api-key", String.class))
                .isEqualTo(simulator.apiKey())
                .isEqualTo(DrawnSecrets.apiKey());
        // a second configuration of the same JVM sees the same draws: the receiver and the simulator agree
        assertThat(config(Map.of()).getValue("reelhook.simulator.secret", String.class))
                .isEqualTo(DrawnSecrets.secret());
    }

    @Test
    void drawnSecretsAreFreshRandomAndShapedLikeStandardWebhooksSecrets() {
        String first = DrawnSecrets.draw(DrawnSecrets.SECRET_PREFIX);
        String second = DrawnSecrets.draw(DrawnSecrets.SECRET_PREFIX);
        assertThat(first).isNotEqualTo(second).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(first.substring("whsec_".length())))
                .hasSize(32);
        assertThat(Base64.getDecoder().decode(DrawnSecrets.secret().substring("whsec_".length())))
                .hasSize(32);
        assertThat(DrawnSecrets.apiKey())
                .startsWith(DrawnSecrets.API_KEY_PREFIX)
                .isNotEqualTo(DrawnSecrets.secret());
    }

    @Test
    void emptyValuesCountAsUnsetAndOwnSimulatorSettingsCarryOver() {
        SmallRyeConfig config = config(Map.of(
                "twelvelabs.api-key",
                "",
                "twelvelabs.api-url",
                "",
                "twelvelabs.webhook-secret",
                "",
                "reelhook.simulator.secret",
                "whsec_mine",
                "reelhook.simulator.api-key",
                "sim-key"));
        assertThat(config.getValue("twelvelabs.api-url", String.class))
                .isEqualTo("http://localhost:8080/simulator/v1.3");
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo("whsec_mine");
        assertThat(config.getValue("twelvelabs.api-key", String.class)).isEqualTo("sim-key");
        assertThat(config.getConfigMapping(SimulatorConfig.class).secret()).isEqualTo("whsec_mine");
        assertThat(config.getConfigMapping(SimulatorConfig.class).apiKey()).isEqualTo("sim-key");
    }

    @Test
    void anEmptySimulatorSecretIsDrawnToo() {
        SmallRyeConfig config = config(Map.of("reelhook.simulator.secret", " ", "reelhook.simulator.api-key", ""));
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo(DrawnSecrets.secret());
        assertThat(config.getConfigMapping(SimulatorConfig.class).apiKey()).isEqualTo(DrawnSecrets.apiKey());
    }

    @Test
    void withApiKeyTwelveLabsIsTheUpstreamAndTheSimulatorStaysOff() {
        SmallRyeConfig config = config(Map.of("%dev.twelvelabs.api-key", "tlk_real", "twelvelabs.webhook-secret", ""));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo(UpstreamDefaults.TWELVELABS_URL);
        assertThat(config.getValue("twelvelabs.api-key", String.class)).isEqualTo("tlk_real");
        // the drawn secret is the simulator's: with Twelve Labs as the upstream, no webhook is trusted by default
        assertThat(config.getOptionalValue("twelvelabs.webhook-secret", String.class))
                .isEmpty();
        assertThat(config.getConfigMapping(SimulatorConfig.class).on()).isFalse();
    }

    @Test
    void realSettingsWin() {
        SmallRyeConfig config = config(Map.of(
                "twelvelabs.api-url",
                "http://proxy/v1.3",
                "twelvelabs.webhook-secret",
                "whsec_set",
                "reelhook.simulator.enabled",
                "false"));
        assertThat(config.getValue("twelvelabs.api-url", String.class)).isEqualTo("http://proxy/v1.3");
        assertThat(config.getValue("twelvelabs.webhook-secret", String.class)).isEqualTo("whsec_set");
        assertThat(config.getConfigMapping(SimulatorConfig.class).on()).isFalse();
    }
}
