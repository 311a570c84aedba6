package io.reelhook.twelvelabs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The upstream settings of docs/configuration.md ({@code TWELVELABS_*}). */
@ConfigMapping(prefix = "twelvelabs")
public interface TwelveLabsConfig {

    String apiUrl();

    Optional<String> apiKey();

    Optional<String> indexId();

    /** Webhook signing secrets, several during a rotation; none means every webhook is refused. */
    Optional<List<String>> webhookSecret();

    @WithDefault("300s")
    Duration webhookTolerance();

    /** A Retry-After longer than this is passed on to the client instead of being waited out. */
    @WithDefault("10s")
    Duration maxRetryAfter();

    /** v1.2 still took {@code language}; v1.3 refuses it. */
    default boolean acceptsLanguage() {
        return apiUrl().replaceAll("/+$", "").endsWith("/v1.2");
    }
}
