package io.reelhook.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The webhook receiver ({@code reelhook.webhook.*}). */
@ConfigMapping(prefix = "reelhook.webhook")
public interface WebhookConfig {

    /** Webhook bodies read at once (each up to 1 MiB); beyond, {@code 503 server_busy} with Retry-After. */
    @WithDefault("64")
    int maxInFlight();
}
