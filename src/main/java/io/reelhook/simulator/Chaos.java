package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.runtime.configuration.DurationConverter;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the simulator does wrong on purpose for one task: the configured defaults
 * ({@code reelhook.simulator.chaos.*}), overridden by the task's {@code user_metadata.simulator} object, e.g.
 * {@code {"simulator": {"duplicate": true, "delay": "3s", "throttle": 2}}}. Tests sharing one Quarkus start
 * use the per-task form.
 * <p>
 * Whoever uploads sets these, so they are bounded: waits of at most {@link #MAX_WAIT}, at most {@link #MAX_COUNT}
 * refusals, and notifications only to the origin (scheme, host and port) of {@code reelhook.simulator.webhook-url}.
 *
 * @param throttle   how many of the task's first {@code GET /tasks/{id}} answers are 429
 * @param errors     how many of the task's first {@code GET /tasks/{id}} answers (after the 429s) are 500
 * @param fail       fail at validation with this Twelve Labs error code ({@code true}: {@value #FAILED_ON_PURPOSE}),
 *                   whatever the video
 * @param webhookUrl deliver this task's notifications here instead of {@code reelhook.simulator.webhook-url}
 * @param sessionTtl a multipart upload session made with this metadata expires after this, not after
 *                   {@code reelhook.simulator.upload-ttl}
 */
record Chaos(
        boolean duplicate,
        boolean drop,
        boolean early,
        Duration delay,
        Duration slow,
        int throttle,
        int errors,
        Optional<String> fail,
        Optional<String> webhookUrl,
        Optional<Duration> sessionTtl) {

    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    static final int MAX_COUNT = 100;
    /** The code of {@code "fail": true}. */
    static final String FAILED_ON_PURPOSE = "simulated_failure";

    static Chaos of(JsonNode userMetadata, SimulatorConfig config) {
        SimulatorConfig.ChaosConfig defaults = config.chaos();
        JsonNode own = userMetadata == null ? null : userMetadata.get("simulator");
        if (own != null && !own.isObject()) {
            throw new IllegalArgumentException("user_metadata.simulator must be an object");
        }
        JsonNode o = own == null ? MissingNode.getInstance() : own;
        return new Chaos(
                o.path("duplicate").asBoolean(defaults.duplicate()),
                o.path("drop").asBoolean(defaults.drop()),
                o.path("early").asBoolean(defaults.early()),
                duration(o.get("delay"), "delay", defaults.delay()),
                duration(o.get("slow"), "slow", defaults.slow()),
                count(o.get("throttle"), "throttle"),
                count(o.get("errors"), "errors"),
                fail(o.get("fail")),
                text(o.get("webhook_url")).map(url -> sameOrigin(url, config.webhookUrl())),
                Optional.ofNullable(o.get("session_ttl")).map(ttl -> duration(ttl, "session_ttl", null)));
    }

    /** A number of seconds or a Quarkus duration ({@code 500ms}, {@code 3s}, {@code PT1M}), up to {@link #MAX_WAIT}. */
    private static Duration duration(JsonNode value, String name, Duration fallback) {
        if (value == null || value.isNull()) {
            return fallback;
        }
        Duration parsed;
        try {
            parsed = value.isNumber()
                    ? Duration.ofMillis(Math.round(value.asDouble() * 1000))
                    : DurationConverter.parseDuration(value.asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("user_metadata.simulator." + name + " is not a duration");
        }
        if (parsed == null || parsed.isNegative() || parsed.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException(
                    "user_metadata.simulator." + name + " must be between 0 and " + MAX_WAIT.toSeconds() + " seconds");
        }
        return parsed;
    }

    private static int count(JsonNode value, String name) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > MAX_COUNT) {
            throw new IllegalArgumentException(
                    "user_metadata.simulator." + name + " must be a whole number from 0 to " + MAX_COUNT);
        }
        return value.asInt();
    }

    /** The simulator posts only where its configured webhook URL points, whatever path a task asks for. */
    static String sameOrigin(String url, String configured) {
        URI asked;
        try {
            asked = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("user_metadata.simulator.webhook_url is not a URL");
        }
        URI allowed = URI.create(configured);
        if (!asked.isAbsolute()
                || asked.getRawUserInfo() != null
                || !origin(asked).equals(origin(allowed))) {
            throw new IllegalArgumentException("user_metadata.simulator.webhook_url must be on " + origin(allowed)
                    + ", the origin of the simulator's webhook URL");
        }
        return url;
    }

    private static String origin(URI uri) {
        String scheme = Objects.toString(uri.getScheme(), "").toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        return scheme + "://" + Objects.toString(uri.getHost(), "").toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** A Twelve Labs error code, or {@code true} for {@link #FAILED_ON_PURPOSE}; {@code false} fails nothing. */
    private static Optional<String> fail(JsonNode value) {
        if (value != null && value.isBoolean()) {
            return value.asBoolean() ? Optional.of(FAILED_ON_PURPOSE) : Optional.empty();
        }
        return text(value);
    }

    private static Optional<String> text(JsonNode value) {
        return value == null || value.isNull() || value.asText().isBlank()
                ? Optional.empty()
                : Optional.of(value.asText());
    }
}
