package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.runtime.configuration.DurationConverter;

import java.time.Duration;
import java.util.Optional;

/**
 * What the simulator does wrong on purpose for one task: the configured defaults
 * ({@code reelhook.simulator.chaos.*}), overridden by the task's {@code user_metadata.simulator} object, e.g.
 * {@code {"simulator": {"duplicate": true, "delay": "3s", "throttle": 2}}}. Tests sharing one Quarkus start
 * use the per-task form.
 *
 * @param throttle   how many of the task's first {@code GET /tasks/{id}} answers are 429
 * @param errors     how many of the task's first {@code GET /tasks/{id}} answers (after the 429s) are 500
 * @param fail       fail at validation with this Twelve Labs error code, whatever the video
 * @param webhookUrl deliver this task's notifications here instead of {@code reelhook.simulator.webhook-url}
 */
record Chaos(boolean duplicate, boolean drop, boolean early, Duration delay, Duration slow, int throttle, int errors,
        Optional<String> fail, Optional<String> webhookUrl) {

    static Chaos of(JsonNode userMetadata, SimulatorConfig.ChaosConfig defaults) {
        JsonNode own = userMetadata == null ? null : userMetadata.get("simulator");
        if (own != null && !own.isObject()) {
            throw new IllegalArgumentException("user_metadata.simulator must be an object");
        }
        JsonNode o = own == null ? MissingNode.getInstance() : own;
        return new Chaos(
                o.path("duplicate").asBoolean(defaults.duplicate()),
                o.path("drop").asBoolean(defaults.drop()),
                o.path("early").asBoolean(defaults.early()),
                duration(o.get("delay"), defaults.delay()),
                duration(o.get("slow"), defaults.slow()),
                o.path("throttle").asInt(0),
                o.path("errors").asInt(0),
                text(o.get("fail")),
                text(o.get("webhook_url")));
    }

    /** A number of seconds or a Quarkus duration ({@code 500ms}, {@code 3s}, {@code PT1M}). */
    private static Duration duration(JsonNode value, Duration fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isNumber()) {
            return Duration.ofMillis(Math.round(value.asDouble() * 1000));
        }
        return DurationConverter.parseDuration(value.asText());
    }

    private static Optional<String> text(JsonNode value) {
        return value == null || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }
}
