package io.reelhook.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The web console's sessions ({@code reelhook.console.*}, docs/console.md). */
@ConfigMapping(prefix = "reelhook.console")
public interface ConsoleConfig {

    /**
     * The key that signs session cookies, at least 32 characters; every instance behind one address needs the same.
     * Unset, one is drawn at start: sessions then end at a restart and hold on this instance only.
     */
    Optional<String> sessionSecret();

    /** How long a session lasts after sign-in (there is no sliding renewal: sign in again after it). */
    @WithDefault("8h")
    Duration sessionTtl();
}
